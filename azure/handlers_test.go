package azure

import (
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/topology"
)

// TestHandlersCoverTypes: the loader has one converter for each type the
// model describes and none other, and knows where in ARM JSON each
// reference field of the model is, so that every finding about a field can
// name its JSON path.
func TestHandlersCoverTypes(t *testing.T) {
	types := topology.Types()
	if len(handlers) != len(types) {
		t.Errorf("%d handlers for %d types", len(handlers), len(types))
	}
	for _, ti := range types {
		h := handlers[strings.ToLower(ti.Type)]
		if h == nil {
			t.Errorf("no converter for %s", ti.Type)
			continue
		}
		if h.typ != ti.Type {
			t.Errorf("converter registered as %s, the model spells it %s", h.typ, ti.Type)
		}
		for _, r := range ti.Refs {
			path, ok := h.fields[r.Field]
			if !ok {
				t.Errorf("%s: no JSON path for field %s", ti.Type, r.Field)
			}
			if strings.Count(path, "[]") > strings.Count(r.Field, "[]") {
				t.Errorf("%s: path %q has more indexes than field %s", ti.Type, path, r.Field)
			}
		}
	}
}

func TestFieldPattern(t *testing.T) {
	tests := []struct {
		field, pattern string
		idx            []string
	}{
		{"RouteTable", "RouteTable", nil},
		{"IPConfigs[0].ASGs[12]", "IPConfigs[].ASGs[]", []string{"0", "12"}},
		{"Prefixes[3]", "Prefixes[]", []string{"3"}},
		{"Odd[", "Odd[", nil},
	}
	for _, tt := range tests {
		p, idx := fieldPattern(tt.field)
		if p != tt.pattern || strings.Join(idx, ",") != strings.Join(tt.idx, ",") {
			t.Errorf("fieldPattern(%q) = %q, %q; want %q, %q", tt.field, p, idx, tt.pattern, tt.idx)
		}
	}
}
