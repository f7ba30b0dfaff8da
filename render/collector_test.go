package render_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/render"
)

// TestCollectorWritesTheReportsOfItsAnswers holds the text and HTML
// reports and the DOT and Mermaid drawings of a Collector to be byte for
// byte those of the whole report holding the same answers, for generated
// estates' profiles, with and without the reachable answers, with the
// answers in the order the engine gives them, shuffled (so that the first
// answer of a group of failures, the one shown in full, often comes after
// others of its group), and only the first 150 (so that the drawings
// draw the reachable answers' paths).
func TestCollectorWritesTheReportsOfItsAnswers(t *testing.T) {
	for _, o := range []estategen.Options{
		{Spokes: 12, Seed: 1, Shape: estategen.HubSpoke},
		{Spokes: 70, Seed: 2, Shape: estategen.HubSpoke},
		{Spokes: 9, Seed: 5, Shape: estategen.Transit, Hubs: 3},
	} {
		t.Run(fmt.Sprintf("%s-%d-seed%d", o.Shape, o.Spokes, o.Seed), func(t *testing.T) {
			snap := render.LoadGenerated(t, o)
			rep, err := engine.New(snap, nil).Profile(engine.ProfileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			reached := 0
			for _, r := range rep.Results {
				if r.Reachable {
					reached++
				}
			}
			if reached < 50 || reached == len(rep.Results) {
				t.Fatalf("%d of %d answers reachable: the estate no longer tests the Collector", reached, len(rep.Results))
			}
			shuffled := *rep
			shuffled.Results = append([]answer.Result(nil), rep.Results...)
			rand.New(rand.NewPCG(uint64(o.Seed), 7)).Shuffle(len(shuffled.Results), func(i, j int) {
				shuffled.Results[i], shuffled.Results[j] = shuffled.Results[j], shuffled.Results[i]
			})
			few := *rep
			few.Results = rep.Results[:150]
			for _, r := range []*answer.Report{rep, &shuffled, &few} {
				c := render.NewCollector(r)
				for _, res := range r.Results {
					c.Add(res)
				}
				if c.Len() != len(r.Results) || c.AllReachable() != r.AllReachable() {
					t.Fatalf("Len %d, AllReachable %v; want %d, %v", c.Len(), c.AllReachable(), len(r.Results), r.AllReachable())
				}
				for _, opts := range []render.Options{{}, {FailuresOnly: true}} {
					for name, f := range map[string][2]func(io.Writer) error{
						"text":    {func(w io.Writer) error { return render.TextWith(w, r, opts) }, func(w io.Writer) error { return c.Text(w, opts) }},
						"html":    {func(w io.Writer) error { return render.HTML(w, r, opts) }, func(w io.Writer) error { return c.HTML(w, opts) }},
						"dot":     {func(w io.Writer) error { return render.Dot(w, r) }, func(w io.Writer) error { return c.Dot(w) }},
						"mermaid": {func(w io.Writer) error { return render.Mermaid(w, r) }, func(w io.Writer) error { return c.Mermaid(w) }},
					} {
						var whole, collected strings.Builder
						if err := f[0](&whole); err != nil {
							t.Fatal(err)
						}
						if err := f[1](&collected); err != nil {
							t.Fatal(err)
						}
						if whole.String() != collected.String() {
							i := firstByteDiff(whole.String(), collected.String())
							t.Errorf("%s (failures only %v, %d answers, shuffled %v) differs from byte %d:\n%.300q\nfrom the Collector\n%.300q",
								name, opts.FailuresOnly, len(r.Results), r == &shuffled, i, whole.String()[i:], collected.String()[i:])
						}
					}
				}
			}
		})
	}
}
