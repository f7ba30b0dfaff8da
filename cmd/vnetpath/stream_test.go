package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/render"
)

// TestCheckJSONStreamedEqualsWholeReport holds check --format json, which
// writes each answer as the engine finds it, to the JSON of the whole
// report written at once (render.JSON of Engine.Profile's or Engine.Run's
// report, with the load's warnings first), byte for byte, and its exit
// status to the report's: the profile with and without --failures-only
// and --port, named destinations, a managed-network workspace with an
// outboundNetworkDependenciesEndpoints list, and a generated estate.
func TestCheckJSONStreamedEqualsWholeReport(t *testing.T) {
	est, err := estategen.GenerateWith(estategen.Options{Spokes: 6, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := est.Render(func(path string, data []byte) error {
		p := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	names := filepath.Join("testdata", "names")
	cases := []struct {
		name         string
		snapshot     string
		mlDeps       string
		to           []string
		port         int
		failuresOnly bool
	}{
		{name: "contoso profile", snapshot: "../../examples/contoso"},
		{name: "contoso profile failures only", snapshot: "../../examples/contoso", failuresOnly: true},
		{name: "contoso profile on port 8443", snapshot: "../../examples/contoso", port: 8443},
		{name: "contoso named destinations", snapshot: "../../examples/contoso", to: []string{"login.microsoftonline.com", "tag:Storage.WestEurope", "10.0.0.0/8"}},
		{name: "managed workspace with a dependency list", snapshot: filepath.Join(names, "snapshot"), mlDeps: filepath.Join(names, "ml-dependencies.json")},
		{name: "generated estate", snapshot: dir},
		{name: "generated estate failures only", snapshot: dir, failuresOnly: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"check", "--snapshot", tc.snapshot, "--format", "json"}
			for _, to := range tc.to {
				args = append(args, "--to", to)
			}
			if tc.port != 0 {
				args = append(args, "--port", "8443")
			}
			if tc.failuresOnly {
				args = append(args, "--failures-only")
			}
			if tc.mlDeps != "" {
				args = append(args, "--ml-dependencies", tc.mlDeps)
			}
			code, out, errs := runCLI(args...)

			in := inputs{snapshots: []string{tc.snapshot}}
			eng, warnings, err := in.load(nil)
			if err != nil {
				t.Fatal(err)
			}
			if eng, err = withOptions(eng, "", tc.mlDeps); err != nil {
				t.Fatal(err)
			}
			var rep *engine.Report
			if len(tc.to) == 0 {
				rep, err = eng.Profile(engine.ProfileOptions{Port: tc.port})
			} else {
				var qs []engine.Query
				for _, sn := range eng.WorkloadSubnets() {
					for _, to := range tc.to {
						qs = append(qs, engine.Query{From: sn.ID, To: to, Protocol: engine.TCP, Port: 443})
					}
				}
				rep, err = eng.Run(qs)
			}
			if err != nil {
				t.Fatal(err)
			}
			rep.Warnings = uniqueStrings(append(warnings, rep.Warnings...))
			wantCode := exitNotReach
			if rep.AllReachable() {
				wantCode = exitOK
			}
			if tc.failuresOnly {
				failed := *rep
				failed.Results = nil
				for _, r := range rep.Results {
					if !r.Reachable {
						failed.Results = append(failed.Results, r)
					}
				}
				rep = &failed
			}
			var want bytes.Buffer
			if err := render.JSON(&want, rep); err != nil {
				t.Fatal(err)
			}
			if code != wantCode {
				t.Errorf("exit %d, want %d; stderr: %s", code, wantCode, errs)
			}
			if out != want.String() {
				t.Errorf("streamed JSON (%d bytes) differs from the whole report's (%d bytes)", len(out), want.Len())
			}
			if len(rep.Results) == 0 {
				t.Errorf("no results: the case proves nothing")
			}
		})
	}
}
