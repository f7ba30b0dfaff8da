package armtemplate

import (
	"testing"
)

// FuzzParseExpression checks that the parser never panics, and that an
// expression it accepts renders to text that parses to the same rendering.
func FuzzParseExpression(f *testing.F) {
	for _, s := range []string{
		"[parameters('a')]",
		"[concat('a', variables('b')[0].c, 1)]",
		"[reference(resourceId('Microsoft.Network/azureFirewalls', 'fw')).ipConfigurations[0].properties.privateIPAddress]",
		"[format('{{\"id\": \"{0}\"}}', 'x')]",
		"[if(equals(copyIndex('c', 1), -1), json('null'), createObject('a', 'it''s'))]",
		"[ns.fn()]",
		"[(x())]",
		"[[literal]",
		"[a(]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		isExpr, _ := isExpression(s)
		if !isExpr {
			return
		}
		n, err := parseExpression(s)
		if err != nil {
			return
		}
		text := render(n)
		n2, err := parseExpression("[" + text + "]")
		if err != nil {
			t.Fatalf("%q renders as %q, which does not parse: %v", s, text, err)
		}
		if again := render(n2); again != text {
			t.Fatalf("%q renders as %q, then as %q", s, text, again)
		}
	})
}

// FuzzEvaluate checks that evaluating any template never panics and that
// a result, when there is one, encodes as JSON.
func FuzzEvaluate(f *testing.F) {
	for _, s := range []string{
		`{"resources": []}`,
		`{"parameters": {"n": {"type": "int", "defaultValue": 2}}, "resources": [{"type": "Microsoft.Network/networkInterfaces", "name": "[concat('n', copyIndex())]", "copy": {"name": "c", "count": "[parameters('n')]"}, "properties": {"ipConfigurations": [{"name": "i", "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]"}}}]}}, {"type": "Microsoft.Network/virtualNetworks", "name": "v", "properties": {"subnets": [{"name": "s", "properties": {"addressPrefix": "10.0.0.0/24"}}]}}]}`,
		`{"variables": {"copy": [{"name": "x", "count": 2, "input": "[copyIndex('x')]"}]}, "resources": [{"type": "Microsoft.Network/routeTables", "name": "rt", "properties": {"routes": "[variables('x')]"}}]}`,
		`{"resources": [{"type": "Microsoft.Resources/deployments", "name": "d", "properties": {"template": {"resources": [{"type": "Microsoft.Network/privateEndpoints", "name": "pe", "properties": {"subnet": {"id": "x"}}}]}}}]}`,
		`{"resources": [{"type": "Microsoft.Network/azureFirewalls", "name": "fw", "properties": {"ipConfigurations": [{"properties": {"subnet": {"id": "[reference('fw').x]"}}}]}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, _ := Evaluate(data, Options{Name: "fuzz.json"})
		if res != nil {
			_ = res.JSON()
		}
	})
}
