package engine

import (
	"testing"

	"github.com/vnetpath/vnetpath/answer"
)

// TestRecycleLeavesWalkersWithBlockers holds recycle to its guard: a
// blocker makes its fix with a function over the walker that found it,
// when an answer asks for it, so a walker whose outcomes hold a blocker,
// a stop or a broken return path's blocker must stay as it is; a walker
// whose walk arrived everywhere is cleared and handed to the next check.
func TestRecycleLeavesWalkersWithBlockers(t *testing.T) {
	b := &blocker{Blocker: answer.Blocker{Verdict: answer.DeniedByNSG}}
	cases := []struct {
		name string
		o    outcome
		kept bool // recycle must leave the walker as it is
	}{
		{"arrived", outcome{}, false},
		{"blocker", outcome{st: state{blockers: []blocker{*b}}}, true},
		{"stop", outcome{stop: b}, true},
		{"return path", outcome{ret: &answer.ReturnPath{}, retBlock: b}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := &walker{e: &Engine{}, f: flow{proto: TCP, port: 443}, outcomes: []outcome{{}, c.o}}
			var spare *walker
			recycle(w, &spare)
			if got := w.e != nil && len(w.outcomes) == 2 && w.f.port == 443 && spare == nil; got != c.kept {
				t.Fatalf("walker left as it was: %v, want %v", got, c.kept)
			}
			if !c.kept && (spare != w || w.e != nil || w.outcomes != nil || w.f != (flow{})) {
				t.Fatalf("recycled walker not cleared into spare: %+v", *w)
			}
		})
	}
}
