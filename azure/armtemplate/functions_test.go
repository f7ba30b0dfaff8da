package armtemplate

import (
	"errors"
	"strings"
	"testing"
)

// testScope is a template with a few parameters and variables, evaluated
// in subscription 00000000-0000-0000-0000-000000000000, resource group
// "rg" in westeurope.
const testScope = `{
  "parameters": {
    "name": {"type": "string", "defaultValue": "hub"},
    "count": {"type": "int", "defaultValue": 3},
    "list": {"type": "array", "defaultValue": [1, 2, 3]},
    "tags": {"type": "object", "defaultValue": {"b": 2, "a": 1}},
    "secret": {"type": "securestring"},
    "loc": {"type": "string", "defaultValue": "[resourceGroup().location]"}
  },
  "variables": {
    "prefix": "[format('vnet-{0}', parameters('name'))]",
    "copy": [{"name": "subnets", "count": 2, "input": "[concat('10.0.', copyIndex('subnets'), '.0/24')]"}],
    "nested": {"copy": [{"name": "rules", "count": "[parameters('count')]", "input": {"priority": "[add(100, copyIndex('rules'))]"}}]}
  },
  "resources": []
}`

func evalExpr(t *testing.T, expr string) (any, error) {
	t.Helper()
	ev := &evaluator{name: "t.json", byID: map[string]*instance{}, off: map[string]*instance{}, allocs: map[string]*subnetAlloc{}}
	doc, err := parseJSON([]byte(testScope))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ev.newScope(doc.(*object), "$")
	if err != nil {
		t.Fatal(err)
	}
	s.sub, s.rg, s.rgLocation, s.deploymentName = DefaultSubscriptionID, "rg", "westeurope", "dep"
	ev.top = s
	return ctx{s: s, path: "$.outputs.x.value"}.evalString(expr)
}

func TestFunctions(t *testing.T) {
	rg := "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
	tests := []struct {
		expr string
		want string // the result as JSON
	}{
		// Template values.
		{"[parameters('name')]", `"hub"`},
		{"[parameters('NAME')]", `"hub"`}, // names are case-insensitive
		{"[parameters('loc')]", `"westeurope"`},
		{"[variables('prefix')]", `"vnet-hub"`},
		{"[variables('subnets')]", `["10.0.0.0/24","10.0.1.0/24"]`},
		{"[variables('nested').rules[2].priority]", `102`},
		{"[[not an expression]", `"[not an expression]"`},
		// Strings.
		{"[concat('a', 1, true())]", `"a1True"`},
		{"[concat(createArray(1), createArray(2, 3))]", `[1,2,3]`},
		{"[format('{0}-{1:D3}-{{x}}', 'a', 7)]", `"a-007-{x}"`},
		{"[string(createObject('a', 1))]", `"{\"a\":1}"`},
		{"[string(false())]", `"False"`},
		{"[replace('a.b.c', '.', '-')]", `"a-b-c"`},
		{"[toLower('AzureCloud')]", `"azurecloud"`},
		{"[toUpper('ab')]", `"AB"`},
		{"[substring('uniquestring', 0, 4)]", `"uniq"`},
		{"[take('abcdef', 3)]", `"abc"`},
		{"[skip(createArray(1, 2, 3), 2)]", `[3]`},
		{"[take(createArray(1, 2), 5)]", `[1,2]`},
		{"[split('a,b;c', createArray(',', ';'))]", `["a","b","c"]`},
		{"[trim('  x ')]", `"x"`},
		{"[startsWith('AzureFirewallSubnet', 'azure')]", `true`}, // case-insensitive
		{"[endsWith('abc', 'BC')]", `true`},
		{"[indexOf('abcabc', 'C')]", `2`},
		{"[lastIndexOf('abcabc', 'c')]", `5`},
		{"[padLeft(7, 3, '0')]", `"007"`},
		{"[base64('one')]", `"b25l"`},
		{"[base64ToString('b25l')]", `"one"`},
		{"[uniqueString('test')]", `"rbgf3xv4ufgzg"`},
		{"[guid('a')]", `"3703365d-5a9f-59b4-bca7-b9681389e4c1"`},
		{"[uri('https://x.blob.core.windows.net/c/', 'scripts/a.sh')]", `"https://x.blob.core.windows.net/c/scripts/a.sh"`},
		{"[json('{\"id\": 1}').id]", `1`},
		{"[json('null')]", `null`},
		{"[length('abc')]", `3`},
		{"[length(parameters('tags'))]", `2`},
		{"[empty('')]", `true`},
		{"[empty(createArray(1))]", `false`},
		{"[first('abc')]", `"a"`},
		{"[last(parameters('list'))]", `3`},
		{"[contains(parameters('tags'), 'A')]", `true`},
		{"[contains('abc', 'B')]", `false`}, // string contains is case-sensitive
		{"[contains(parameters('list'), 2)]", `true`},
		// Arrays and objects.
		{"[array('x')]", `["x"]`},
		{"[createObject('a', 1, 'b', createArray())]", `{"a":1,"b":[]}`},
		{"[union(createObject('a', 1, 'c', createObject('x', 1)), createObject('b', 2, 'c', createObject('y', 2)))]", `{"a":1,"c":{"x":1,"y":2},"b":2}`},
		{"[union(createArray(1, 2), createArray(2, 3))]", `[1,2,3]`},
		{"[intersection(createArray(1, 2, 3), createArray(3, 2))]", `[2,3]`},
		{"[range(5, 3)]", `[5,6,7]`},
		{"[items(parameters('tags'))]", `[{"key":"a","value":1},{"key":"b","value":2}]`},
		{"[objectKeys(parameters('tags'))]", `["b","a"]`},
		{"[tryGet(parameters('tags'), 'z')]", `null`},
		// Logic and numbers.
		{"[if(equals(parameters('count'), 3), 'yes', copyIndex())]", `"yes"`}, // the other branch is not evaluated
		{"[and(true(), not(false()))]", `true`},
		{"[or(false(), equals('a', 'A'))]", `false`},
		{"[less(1, 2)]", `true`},
		{"[greaterOrEquals('b', 'a')]", `true`},
		{"[coalesce(null(), null(), 'x')]", `"x"`},
		{"[add(1, mul(2, 3))]", `7`},
		{"[sub(1, 3)]", `-2`},
		{"[div(7, 2)]", `3`},
		{"[mod(7, 2)]", `1`},
		{"[min(3, 1, 2)]", `1`},
		{"[max(parameters('list'))]", `3`},
		{"[int('42')]", `42`},
		{"[bool('true')]", `true`},
		// Scope and IDs.
		{"[resourceGroup().id]", `"` + rg + `"`},
		{"[subscription().subscriptionId]", `"00000000-0000-0000-0000-000000000000"`},
		{"[deployment().name]", `"dep"`},
		{"[environment().suffixes.storage]", `"core.windows.net"`},
		{"[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'a')]", `"` + rg + `/providers/Microsoft.Network/virtualNetworks/hub/subnets/a"`},
		{"[resourceId('Microsoft.Network/virtualNetworks/', 'hub')]", `"` + rg + `/providers/Microsoft.Network/virtualNetworks/hub"`},
		{"[resourceId('other-rg', 'Microsoft.Network/virtualNetworks', 'hub')]", `"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/other-rg/providers/Microsoft.Network/virtualNetworks/hub"`},
		{"[resourceId('s2', 'rg2', 'Microsoft.Network/routeTables', 'rt')]", `"/subscriptions/s2/resourceGroups/rg2/providers/Microsoft.Network/routeTables/rt"`},
		{"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r')]", `"/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/r"`},
		{"[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]", `"/providers/Microsoft.Management/managementGroups/mg"`},
		{"[extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks', 'l')]", `"` + rg + `/providers/Microsoft.Authorization/locks/l"`},
		// CIDR, with the examples of the ARM documentation.
		{"[parseCidr('10.144.0.0/20')]", `{"network":"10.144.0.0","netmask":"255.255.240.0","broadcast":"10.144.15.255","firstUsable":"10.144.0.1","lastUsable":"10.144.15.254","cidr":20}`},
		{"[parseCidr('fdad:3236:5555::/48')]", `{"network":"fdad:3236:5555::","netmask":"ffff:ffff:ffff::","firstUsable":"fdad:3236:5555::","lastUsable":"fdad:3236:5555:ffff:ffff:ffff:ffff:ffff","cidr":48}`},
		{"[cidrSubnet('10.144.0.0/20', 24, 4)]", `"10.144.4.0/24"`},
		{"[cidrSubnet('fdad:3236:5555::/48', 52, 3)]", `"fdad:3236:5555:3000::/52"`},
		{"[cidrHost('10.144.3.0/24', 3)]", `"10.144.3.4"`},
		{"[cidrHost('fdad:3236:5555:3000::/52', 0)]", `"fdad:3236:5555:3000::1"`},
	}
	for _, tt := range tests {
		v, err := evalExpr(t, tt.expr)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if got := toJSONText(v); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, got, tt.want)
		}
	}
}

func TestFunctionsGiveUnknownValues(t *testing.T) {
	tests := []struct{ expr, reason string }{
		{"[parameters('secret')]", `secure parameter "secret" was not given`},
		{"[concat('x', parameters('secret'))]", `secure parameter "secret"`},
		{"[reference('/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/azureFirewalls/fw').ipConfigurations[0].properties.privateIPAddress]", "reads a resource outside the template"},
		{"[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2021-01-01').keys[0].value]", "listKeys() reads secrets"},
		{"[newGuid()]", "a new value at each deployment"},
		{"[deployment().properties.templateLink.uri]", "templateLink"},
		{"[if(empty(parameters('secret')), 'a', 'b')]", `secure parameter "secret"`},
	}
	for _, tt := range tests {
		v, err := evalExpr(t, tt.expr)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		u, ok := v.(*unknown)
		if !ok || !strings.Contains(u.reason, tt.reason) {
			t.Errorf("%s = %s, want an unknown value because %q", tt.expr, toJSONText(v), tt.reason)
		}
	}
	// A structure keeps an unknown value inside, so that only what depends
	// on it is unknown.
	v, err := evalExpr(t, "[createArray('a', parameters('secret'))]")
	if err != nil {
		t.Fatal(err)
	}
	if arr, ok := v.([]any); !ok || len(arr) != 2 || arr[0] != "a" {
		t.Errorf("createArray with an unknown element = %v, want a two-element array", v)
	}
}

func TestFunctionErrorsNameThePathAndExpression(t *testing.T) {
	tests := []struct {
		expr     string
		msg      string
		function string
	}{
		{"[lambdaMap(parameters('list'))]", "the template function lambdaMap() is not supported", "lambdaMap"},
		{"[parameters('nope')]", `the template has no parameter "nope"`, ""},
		{"[variables('prefix').nope]", `cannot read property "nope" of a string`, ""},
		{"[parameters('tags').c]", `the object has no property "c"`, ""},
		{"[parameters('list')[3]]", "index 3 is outside the array of length 3", ""},
		{"[div(1, 0)]", "div() by zero", ""},
		{"[copyIndex()]", "outside a resource copy loop", ""},
		{"[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub')]", "needs 2 names, got 1", ""},
		{"[substring('abc', 2, 5)]", "go past the end", ""},
		{"[concat('a', ]", "syntax error at offset 13", ""},
	}
	for _, tt := range tests {
		_, err := evalExpr(t, tt.expr)
		var ee *ExprError
		if !errors.As(err, &ee) {
			t.Errorf("%s: error %v, want an *ExprError", tt.expr, err)
			continue
		}
		if !strings.Contains(ee.Msg, tt.msg) || ee.Path != "$.outputs.x.value" || ee.Expr != tt.expr || ee.Function != tt.function {
			t.Errorf("%s: error %+v, want %q at $.outputs.x.value", tt.expr, ee, tt.msg)
		}
		if want := `t.json: $.outputs.x.value: "` + tt.expr + `": `; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q does not start with %q", err, want)
		}
	}
}
