package tfplan

import (
	"testing"

	"github.com/vnetpath/vnetpath/azure/deploy"
	"github.com/vnetpath/vnetpath/azure/deploy/deploytest"
)

// resourceJSON and at are the evaluators' shared test helpers.
func resourceJSON(t *testing.T, res *deploy.Result, id string) map[string]any {
	t.Helper()
	return deploytest.ResourceJSON(t, res, id)
}

func at(v any, path string) any { return deploytest.At(v, path) }

func wantSkipped(t *testing.T, res *deploy.Result, want map[string]int) {
	t.Helper()
	if len(res.Skipped) != len(want) {
		t.Errorf("skipped %v, want %v", res.Skipped, want)
	}
	for k, n := range want {
		if res.Skipped[k] != n {
			t.Errorf("skipped %s = %d, want %d (all: %v)", k, res.Skipped[k], n, res.Skipped)
		}
	}
}

func missingReason(t *testing.T, res *deploy.Result, id string) string {
	t.Helper()
	m, ok := res.MissingID(id)
	if !ok {
		t.Fatalf("%s is not declared missing (missing: %v)", id, res.Missing)
	}
	return m.Reason
}
