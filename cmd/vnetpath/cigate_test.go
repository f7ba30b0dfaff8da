package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for vnetpath when a test runs a
// script that calls it (VNETPATH_TEST_AS_CLI=1): the CI gate example runs
// without building or installing the binary.
func TestMain(m *testing.M) {
	if os.Getenv("VNETPATH_TEST_AS_CLI") == "1" {
		os.Exit(runIO(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestCIGateScript runs examples/ci-gate/vnetpath-gate.sh on the example
// estate with a plan given as JSON (so no terraform binary is needed): the
// plan that unlinks the workspace's privatelink zone fails the gate, the
// plan that leaves the estate as it is passes it, and the JSON report is
// written either way.
func TestCIGateScript(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("skipping: no sh to run the script")
	}
	script := filepath.Join("..", "..", "examples", "ci-gate", "vnetpath-gate.sh")
	for _, tc := range []struct {
		name       string
		plan       string
		exit       int
		regressed  int
		logContent string
	}{
		{"a plan that unlinks the zone fails", unlinkPlan, 1, 6, "6 no longer reachable"},
		{"a plan that changes nothing passes", filepath.Join("..", "..", "azure", "tfplan", "testdata", "contoso-plan.json"), 0, 0, "no answer changed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command(sh, script)
			cmd.Env = append(os.Environ(), "VNETPATH_TEST_AS_CLI=1", "VNETPATH="+os.Args[0],
				"SNAPSHOT="+contoso, "PLAN_JSON="+tc.plan, "OUT_DIR="+out)
			log, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.exit || !strings.Contains(string(log), tc.logContent) {
				t.Errorf("exit %d, want %d; log:\n%s", code, tc.exit, log)
			}
			data, err := os.ReadFile(filepath.Join(out, "vnetpath-diff.json"))
			if err != nil {
				t.Fatal(err)
			}
			var rep struct {
				Summary struct{ NoLongerReachable int }
			}
			if err := json.Unmarshal(data, &rep); err != nil || rep.Summary.NoLongerReachable != tc.regressed {
				t.Errorf("report: %v, %+v; want %d no longer reachable", err, rep.Summary, tc.regressed)
			}
		})
	}
}
