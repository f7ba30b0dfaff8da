package tfplan

import (
	"os"
	"testing"
)

// FuzzEvaluate checks that no plan makes Evaluate panic, and that a result,
// when there is one, encodes.
func FuzzEvaluate(f *testing.F) {
	f.Add([]byte(`{"format_version": "1.2"}`))
	f.Add([]byte(`{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "azurerm_subnet.s", "mode": "managed", "type": "azurerm_subnet", "name": "s", "values": {"name": "a", "resource_group_name": "g", "virtual_network_name": "v", "address_prefixes": ["10.0.0.0/24"]}}]}}, "resource_changes": [{"address": "azurerm_subnet.s", "change": {"actions": ["create"], "after_unknown": {"id": true}}}]}`))
	if data, err := os.ReadFile("testdata/contoso-plan.json"); err == nil && len(data) < 1<<20 {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, _ := Evaluate(data, Options{})
		if res != nil {
			_ = res.JSON()
		}
	})
}
