package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// drawing is one output of check or graph in a drawing format.
type drawing struct {
	name, text string
}

// estates lists the estates to draw: each example of the repository, and
// each scenario of ../shared/scenarios when it is there, with the checks
// of its expectations.
func estates(t *testing.T) []struct {
	name, snapshot string
	checks         [][]string // check arguments after --snapshot; nil: the profile
} {
	t.Helper()
	type estate = struct {
		name, snapshot string
		checks         [][]string
	}
	var out []estate
	examples, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*"))
	for _, d := range examples {
		// A snapshot directory: not the changes (templates and plans) nor
		// the CI gate, which hold no estate of their own.
		if js, _ := filepath.Glob(filepath.Join(d, "virtualNetworks*.json")); len(js) > 0 {
			out = append(out, estate{name: "examples/" + filepath.Base(d), snapshot: d})
		}
	}
	base := filepath.Join("..", "..", "..", "shared", "scenarios")
	dirs, _ := os.ReadDir(base)
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(base, d.Name(), "expect.json"))
		if err != nil {
			continue
		}
		var ex scenarioExpect
		if err := json.Unmarshal(data, &ex); err != nil {
			t.Fatalf("%s: %v", d.Name(), err)
		}
		e := estate{name: "scenarios/" + d.Name(), snapshot: filepath.Join(base, d.Name(), ex.Snapshot)}
		for _, c := range ex.Check {
			args := []string{"--from", c.From, "--to", c.To}
			if c.Port != 0 {
				args = append(args, "--port", strconv.Itoa(c.Port))
			}
			if c.Protocol != "" {
				args = append(args, "--protocol", c.Protocol)
			}
			e.checks = append(e.checks, args)
		}
		out = append(out, e)
	}
	if len(dirs) == 0 {
		t.Logf("%s is absent: drawing the examples only", base)
	}
	return out
}

// drawings returns every drawing vnetpath makes of the estates in a
// format: the paths of each estate's checks (or of its profile, or of
// Entra ID and ARM from every workload subnet when it has no workspace)
// and the estate itself.
func drawings(t *testing.T, format string) []drawing {
	t.Helper()
	var out []drawing
	for _, e := range estates(t) {
		checks := e.checks
		if checks == nil {
			checks = [][]string{nil}
		}
		for i, c := range checks {
			args := append([]string{"check", "--snapshot", e.snapshot, "--format", format}, c...)
			code, text, errs := runCLI(args...)
			if code == exitUsage && c == nil && strings.Contains(errs, "no Azure Machine Learning workspace") {
				args = append(args, "--to", "login.microsoftonline.com", "--to", "management.azure.com")
				code, text, errs = runCLI(args...)
			}
			if code == exitUsage {
				t.Fatalf("vnetpath %s: %s", strings.Join(args, " "), errs)
			}
			out = append(out, drawing{name: e.name + " check " + strconv.Itoa(i+1), text: text})
		}
		code, text, errs := runCLI("graph", "--snapshot", e.snapshot, "--format", format)
		if code != exitOK {
			t.Fatalf("vnetpath graph --snapshot %s: exit %d: %s", e.snapshot, code, errs)
		}
		out = append(out, drawing{name: e.name + " graph", text: text})
	}
	return out
}

// TestDotRenders renders every DOT drawing (each check's paths and each
// estate, of the examples and the scenarios) with Graphviz, and fails on
// any error or warning dot prints.
func TestDotRenders(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz's dot is not on PATH: .ci/run installs Debian's graphviz; the DOT rendering test is skipped")
	}
	n := 0
	// The first two are controls: dot must complain about them, or the
	// test could not fail.
	controls := []drawing{{"control: a syntax error", "digraph { a -> }"}, {"control: a warning", "digraph { a [shape=nonsense]; }"}}
	for i, d := range append(controls, drawings(t, "dot")...) {
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = strings.NewReader(d.text)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		err := cmd.Run()
		if i < len(controls) {
			if stderr.Len() == 0 {
				t.Errorf("%s: dot printed nothing on stderr for %q", d.name, d.text)
			}
			continue
		}
		if err != nil || stderr.Len() > 0 || !bytes.Contains(stdout.Bytes(), []byte("</svg>")) {
			t.Errorf("%s: dot -Tsvg: %v\n%s\n%s", d.name, err, stderr.String(), d.text)
		}
		if el := time.Since(start); el > 20*time.Second {
			t.Errorf("%s: dot took %s", d.name, el)
		}
		n++
	}
	t.Logf("dot rendered %d drawings", n)
}
