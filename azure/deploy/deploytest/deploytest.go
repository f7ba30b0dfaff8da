// Package deploytest helps the tests of the deployment evaluators
// (armtemplate, tfplan) read what an evaluation yields.
package deploytest

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/azure/deploy"
)

// ResourceJSON returns the resource id of res decoded, failing the test
// with what res holds when it is not there.
func ResourceJSON(t testing.TB, res *deploy.Result, id string) map[string]any {
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

// At reads a value of decoded JSON by a path such as
// "properties.routes[0].properties.nextHopIpAddress"; nil when the path
// does not lead to one.
func At(v any, path string) any {
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
			if !ok || i < 0 || i >= len(arr) {
				return nil
			}
			v = arr[i]
			_, idx, hasIdx = strings.Cut(rest, "[")
		}
	}
	return v
}
