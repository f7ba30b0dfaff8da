package tfplan

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/azure/deploy"
)

// resourceJSON returns a resource of the result decoded, failing the test
// when it is not there.
func resourceJSON(t *testing.T, res *deploy.Result, id string) map[string]any {
	t.Helper()
	r, ok := res.Resource(id)
	if !ok {
		var have []string
		for _, r := range res.Resources {
			have = append(have, r.ID)
		}
		for _, m := range res.Missing {
			have = append(have, "missing "+m.ID+": "+m.Reason)
		}
		t.Fatalf("resource %s not in the result; it holds:\n%s", id, strings.Join(have, "\n"))
	}
	var m map[string]any
	if err := json.Unmarshal(r.JSON, &m); err != nil {
		t.Fatalf("resource %s: %v", id, err)
	}
	return m
}

// at reads decoded JSON by a path such as "properties.routes[0].name".
func at(v any, path string) any {
	for _, step := range strings.Split(path, ".") {
		name, idx, hasIdx := strings.Cut(step, "[")
		if name != "" {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[name]
		}
		for hasIdx {
			var rest string
			idx, rest, _ = strings.Cut(idx, "]")
			i, _ := strconv.Atoi(idx)
			arr, ok := v.([]any)
			if !ok || i >= len(arr) {
				return nil
			}
			v = arr[i]
			_, idx, hasIdx = strings.Cut(rest, "[")
		}
	}
	return v
}

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
