package armtemplate

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/bits"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go4.org/netipx"
)

// function is one template function. Unless structural, a function is not
// called when an argument is unknown: the call gives that unknown value.
// Structural functions build arrays and objects and keep unknown values
// inside them.
type function struct {
	fn         func(c ctx, args []any) (any, error)
	structural bool
}

var functions map[string]function

func init() {
	functions = map[string]function{
		// Template values.
		"parameters": {fn: fnParameters},
		"variables":  {fn: fnVariables},
		"copyindex":  {fn: fnCopyIndex},
		// Deployment and scope.
		"resourcegroup":             {fn: fnResourceGroup},
		"subscription":              {fn: fnSubscription},
		"tenant":                    {fn: fnTenant},
		"deployment":                {fn: fnDeployment},
		"environment":               {fn: fnEnvironment},
		"resourceid":                {fn: fnResourceID},
		"subscriptionresourceid":    {fn: fnSubscriptionResourceID},
		"tenantresourceid":          {fn: fnTenantResourceID},
		"extensionresourceid":       {fn: fnExtensionResourceID},
		"managementgroupresourceid": {fn: fnManagementGroupResourceID},
		"reference":                 {fn: fnReference},
		"newguid":                   {fn: notBeforeDeployment("newGuid() gives a new value at each deployment")},
		"utcnow":                    {fn: notBeforeDeployment("utcNow() is the time of the deployment")},
		"pickzones":                 {fn: notBeforeDeployment("pickZones() depends on the region's zones at deployment")},
		// Logical and comparison.
		"not":             {fn: fnNot},
		"equals":          {fn: fnEquals},
		"less":            {fn: compare(func(c int) bool { return c < 0 })},
		"lessorequals":    {fn: compare(func(c int) bool { return c <= 0 })},
		"greater":         {fn: compare(func(c int) bool { return c > 0 })},
		"greaterorequals": {fn: compare(func(c int) bool { return c >= 0 })},
		"true":            {fn: func(ctx, []any) (any, error) { return true, nil }},
		"false":           {fn: func(ctx, []any) (any, error) { return false, nil }},
		"null":            {fn: func(ctx, []any) (any, error) { return nil, nil }},
		"bool":            {fn: fnBool},
		// Numbers.
		"add": {fn: arith("add", func(a, b int64) (int64, error) { return a + b, nil })},
		"sub": {fn: arith("sub", func(a, b int64) (int64, error) { return a - b, nil })},
		"mul": {fn: arith("mul", func(a, b int64) (int64, error) { return a * b, nil })},
		"div": {fn: arith("div", func(a, b int64) (int64, error) {
			if b == 0 {
				return 0, fnErrorf("div() by zero")
			}
			return a / b, nil
		})},
		"mod": {fn: arith("mod", func(a, b int64) (int64, error) {
			if b == 0 {
				return 0, fnErrorf("mod() by zero")
			}
			return a % b, nil
		})},
		"min": {fn: minMax("min", func(a, b int64) bool { return a < b })},
		"max": {fn: minMax("max", func(a, b int64) bool { return a > b })},
		"int": {fn: fnInt},
		// Strings.
		"concat":               {fn: fnConcat, structural: true},
		"format":               {fn: fnFormat},
		"string":               {fn: fnString},
		"replace":              {fn: fnReplace},
		"tolower":              {fn: str1("toLower", strings.ToLower)},
		"toupper":              {fn: str1("toUpper", strings.ToUpper)},
		"trim":                 {fn: str1("trim", strings.TrimSpace)},
		"substring":            {fn: fnSubstring},
		"take":                 {fn: fnTake, structural: true},
		"skip":                 {fn: fnSkip, structural: true},
		"split":                {fn: fnSplit},
		"join":                 {fn: fnJoin},
		"startswith":           {fn: strPred("startsWith", func(s, p string) bool { return strings.HasPrefix(strings.ToLower(s), strings.ToLower(p)) })},
		"endswith":             {fn: strPred("endsWith", func(s, p string) bool { return strings.HasSuffix(strings.ToLower(s), strings.ToLower(p)) })},
		"indexof":              {fn: strIndex("indexOf", false)},
		"lastindexof":          {fn: strIndex("lastIndexOf", true)},
		"padleft":              {fn: fnPadLeft},
		"base64":               {fn: str1("base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) })},
		"base64tostring":       {fn: fnBase64ToString},
		"base64tojson":         {fn: fnBase64ToJSON},
		"uniquestring":         {fn: fnUniqueString},
		"guid":                 {fn: fnGUID},
		"uri":                  {fn: fnURI},
		"uricomponent":         {fn: str1("uriComponent", url.QueryEscape)},
		"uricomponenttostring": {fn: fnURIComponentToString},
		"datauri": {fn: str1("dataUri", func(s string) string {
			return "data:text/plain;charset=utf8;base64," + base64.StdEncoding.EncodeToString([]byte(s))
		})},
		// Arrays and objects.
		"length":       {fn: fnLength, structural: true},
		"empty":        {fn: fnEmpty, structural: true},
		"first":        {fn: fnFirst, structural: true},
		"last":         {fn: fnLast, structural: true},
		"contains":     {fn: fnContains},
		"json":         {fn: fnJSON},
		"array":        {fn: fnArray, structural: true},
		"createarray":  {fn: func(_ ctx, args []any) (any, error) { return append([]any{}, args...), nil }, structural: true},
		"createobject": {fn: fnCreateObject, structural: true},
		"union":        {fn: fnUnion, structural: true},
		"intersection": {fn: fnIntersection},
		"range":        {fn: fnRange},
		"items":        {fn: fnItems, structural: true},
		"objectkeys":   {fn: fnObjectKeys, structural: true},
		"tryget":       {fn: fnTryGet, structural: true},
		// CIDR.
		"parsecidr":  {fn: fnParseCIDR},
		"cidrsubnet": {fn: fnCIDRSubnet},
		"cidrhost":   {fn: fnCIDRHost},
	}
}

func notBeforeDeployment(reason string) func(ctx, []any) (any, error) {
	return func(ctx, []any) (any, error) { return &unknown{reason: reason}, nil }
}

func nargs(name string, args []any, lo, hi int) error {
	if len(args) < lo || hi >= 0 && len(args) > hi {
		switch {
		case lo == hi:
			return fnErrorf("%s() takes %d argument%s, not %d", name, lo, plural(lo), len(args))
		case hi < 0:
			return fnErrorf("%s() takes at least %d argument%s, not %d", name, lo, plural(lo), len(args))
		}
		return fnErrorf("%s() takes %d to %d arguments, not %d", name, lo, hi, len(args))
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func argString(name string, args []any, i int) (string, error) {
	s, ok := args[i].(string)
	if !ok {
		return "", fnErrorf("%s() argument %d must be a string, not %s", name, i+1, typeName(args[i]))
	}
	return s, nil
}

func argInt(name string, args []any, i int) (int64, error) {
	switch v := args[i].(type) {
	case int64:
		return v, nil
	}
	return 0, fnErrorf("%s() argument %d must be an integer, not %s", name, i+1, typeName(args[i]))
}

// --- template values ---

func fnParameters(c ctx, args []any) (any, error) {
	if err := nargs("parameters", args, 1, 1); err != nil {
		return nil, err
	}
	name, err := argString("parameters", args, 0)
	if err != nil {
		return nil, err
	}
	return c.s.parameter(name)
}

func fnVariables(c ctx, args []any) (any, error) {
	if err := nargs("variables", args, 1, 1); err != nil {
		return nil, err
	}
	name, err := argString("variables", args, 0)
	if err != nil {
		return nil, err
	}
	return c.s.variable(name)
}

func fnCopyIndex(c ctx, args []any) (any, error) {
	if err := nargs("copyIndex", args, 0, 2); err != nil {
		return nil, err
	}
	var name string
	var offset int64
	for i, a := range args {
		switch a := a.(type) {
		case string:
			if i != 0 {
				return nil, fnErrorf("copyIndex() takes the loop name first")
			}
			name = a
		case int64:
			offset = a
		default:
			return nil, fnErrorf("copyIndex() argument %d must be a loop name or an offset, not %s", i+1, typeName(a))
		}
	}
	for i := len(c.loops) - 1; i >= 0; i-- {
		l := c.loops[i]
		if name == "" && l.resource || name != "" && strings.EqualFold(l.name, name) {
			return int64(l.index) + offset, nil
		}
	}
	if name == "" {
		return nil, fnErrorf("copyIndex() is used outside a resource copy loop")
	}
	return nil, fnErrorf("copyIndex(%q) is used outside the copy loop %q", name, name)
}

// --- deployment and scope ---

func fnResourceGroup(c ctx, args []any) (any, error) {
	if err := nargs("resourceGroup", args, 0, 0); err != nil {
		return nil, err
	}
	s := c.s
	o := newObject()
	o.set("id", "/subscriptions/"+s.sub+"/resourceGroups/"+s.rg)
	o.set("name", s.rg)
	o.set("type", "Microsoft.Resources/resourceGroups")
	o.set("location", s.rgLocation)
	p := newObject()
	p.set("provisioningState", "Succeeded")
	o.set("properties", p)
	return o, nil
}

func fnSubscription(c ctx, args []any) (any, error) {
	if err := nargs("subscription", args, 0, 0); err != nil {
		return nil, err
	}
	o := newObject()
	o.set("id", "/subscriptions/"+c.s.sub)
	o.set("subscriptionId", c.s.sub)
	o.set("tenantId", c.s.ev.opts.tenantID())
	o.set("displayName", c.s.sub)
	return o, nil
}

func fnTenant(c ctx, args []any) (any, error) {
	if err := nargs("tenant", args, 0, 0); err != nil {
		return nil, err
	}
	o := newObject()
	o.set("tenantId", c.s.ev.opts.tenantID())
	o.set("countryCode", &unknown{reason: "tenant().countryCode is not known offline"})
	o.set("displayName", &unknown{reason: "tenant().displayName is not known offline"})
	return o, nil
}

func fnDeployment(c ctx, args []any) (any, error) {
	if err := nargs("deployment", args, 0, 0); err != nil {
		return nil, err
	}
	o := newObject()
	o.set("name", c.s.deploymentName)
	p := newObject()
	p.set("templateLink", &unknown{reason: "deployment().properties.templateLink: the template is evaluated from a file, not deployed from a link"})
	p.set("mode", "Incremental")
	p.set("provisioningState", "Accepted")
	o.set("properties", p)
	o.set("location", c.s.rgLocation)
	return o, nil
}

// environment() of the public cloud.
func fnEnvironment(_ ctx, args []any) (any, error) {
	if err := nargs("environment", args, 0, 0); err != nil {
		return nil, err
	}
	env := newObject()
	env.set("name", "AzureCloud")
	env.set("gallery", "https://gallery.azure.com/")
	env.set("graph", "https://graph.windows.net/")
	env.set("portal", "https://portal.azure.com")
	env.set("graphAudience", "https://graph.windows.net/")
	env.set("activeDirectoryDataLake", "https://datalake.azure.net/")
	env.set("batch", "https://batch.core.windows.net/")
	env.set("media", "https://rest.media.azure.net")
	env.set("sqlManagement", "https://management.core.windows.net:8443/")
	env.set("vmImageAliasDoc", "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json")
	env.set("resourceManager", "https://management.azure.com/")
	auth := newObject()
	auth.set("loginEndpoint", "https://login.microsoftonline.com/")
	auth.set("audiences", []any{"https://management.core.windows.net/", "https://management.azure.com/"})
	auth.set("tenant", "common")
	auth.set("identityProvider", "AAD")
	env.set("authentication", auth)
	suf := newObject()
	suf.set("acrLoginServer", ".azurecr.io")
	suf.set("azureDatalakeAnalyticsCatalogAndJob", "azuredatalakeanalytics.net")
	suf.set("azureDatalakeStoreFileSystem", "azuredatalakestore.net")
	suf.set("azureFrontDoorEndpointSuffix", "azurefd.net")
	suf.set("keyvaultDns", ".vault.azure.net")
	suf.set("sqlServerHostname", ".database.windows.net")
	suf.set("storage", "core.windows.net")
	env.set("suffixes", suf)
	return env, nil
}

// resourceID parses the arguments of resourceId() and its relatives:
// optional leading scope arguments, the type (the first argument holding a
// "/"), and one name per type segment.
func typeAndNames(name string, args []any) (pre []string, typ string, names []string, err error) {
	at := -1
	for i, a := range args {
		s, ok := a.(string)
		if !ok {
			return nil, "", nil, fnErrorf("%s() argument %d must be a string, not %s", name, i+1, typeName(a))
		}
		if at < 0 && strings.Contains(strings.Trim(s, "/"), "/") {
			at = i
		}
	}
	if at < 0 {
		return nil, "", nil, fnErrorf("%s() needs a resource type such as 'Microsoft.Network/virtualNetworks'", name)
	}
	for _, a := range args[:at] {
		pre = append(pre, a.(string))
	}
	typ = strings.Trim(args[at].(string), "/")
	for _, a := range args[at+1:] {
		names = append(names, strings.Split(a.(string), "/")...)
	}
	segs := strings.Count(typ, "/")
	if len(names) != segs {
		return nil, "", nil, fnErrorf("%s(): type %q needs %d name%s, got %d", name, typ, segs, plural(segs), len(names))
	}
	return pre, typ, names, nil
}

func typedPath(typ string, names []string) string {
	segs := strings.Split(typ, "/")
	var b strings.Builder
	b.WriteString(segs[0])
	for i, t := range segs[1:] {
		b.WriteString("/" + t + "/" + names[i])
	}
	return b.String()
}

func fnResourceID(c ctx, args []any) (any, error) {
	pre, typ, names, err := typeAndNames("resourceId", args)
	if err != nil {
		return nil, err
	}
	sub, rg := c.s.sub, c.s.rg
	switch len(pre) {
	case 0:
	case 1:
		rg = pre[0]
	case 2:
		sub, rg = pre[0], pre[1]
	default:
		return nil, fnErrorf("resourceId() takes at most a subscription and a resource group before the type")
	}
	return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + typedPath(typ, names), nil
}

func fnSubscriptionResourceID(c ctx, args []any) (any, error) {
	pre, typ, names, err := typeAndNames("subscriptionResourceId", args)
	if err != nil {
		return nil, err
	}
	sub := c.s.sub
	switch len(pre) {
	case 0:
	case 1:
		sub = pre[0]
	default:
		return nil, fnErrorf("subscriptionResourceId() takes at most a subscription before the type")
	}
	return "/subscriptions/" + sub + "/providers/" + typedPath(typ, names), nil
}

func fnTenantResourceID(_ ctx, args []any) (any, error) {
	pre, typ, names, err := typeAndNames("tenantResourceId", args)
	if err != nil {
		return nil, err
	}
	if len(pre) > 0 {
		return nil, fnErrorf("tenantResourceId() takes the type first")
	}
	return "/providers/" + typedPath(typ, names), nil
}

func fnManagementGroupResourceID(_ ctx, args []any) (any, error) {
	pre, typ, names, err := typeAndNames("managementGroupResourceId", args)
	if err != nil {
		return nil, err
	}
	if len(pre) != 1 {
		return nil, fnErrorf("managementGroupResourceId() needs the management group before the type")
	}
	return "/providers/Microsoft.Management/managementGroups/" + pre[0] + "/providers/" + typedPath(typ, names), nil
}

func fnExtensionResourceID(_ ctx, args []any) (any, error) {
	if err := nargs("extensionResourceId", args, 3, -1); err != nil {
		return nil, err
	}
	base, err := argString("extensionResourceId", args, 0)
	if err != nil {
		return nil, err
	}
	_, typ, names, err := typeAndNames("extensionResourceId", args[1:])
	if err != nil {
		return nil, err
	}
	return strings.TrimRight(base, "/") + "/providers/" + typedPath(typ, names), nil
}

func fnReference(c ctx, args []any) (any, error) {
	if err := nargs("reference", args, 1, 3); err != nil {
		return nil, err
	}
	target, err := argString("reference", args, 0)
	if err != nil {
		return nil, err
	}
	full := false
	if len(args) == 3 {
		if s, ok := args[2].(string); ok && strings.EqualFold(s, "Full") {
			full = true
		}
	}
	return c.s.ev.reference(c, target, full)
}

// --- logical and comparison ---

func fnNot(_ ctx, args []any) (any, error) {
	if err := nargs("not", args, 1, 1); err != nil {
		return nil, err
	}
	b, ok := args[0].(bool)
	if !ok {
		return nil, fnErrorf("not() needs a boolean, not %s", typeName(args[0]))
	}
	return !b, nil
}

func fnEquals(_ ctx, args []any) (any, error) {
	if err := nargs("equals", args, 2, 2); err != nil {
		return nil, err
	}
	return equal(args[0], args[1]), nil
}

// equal compares values deeply; strings compare case-sensitively, object
// keys case-insensitively.
func equal(a, b any) bool {
	switch a := a.(type) {
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equal(a[i], b[i]) {
				return false
			}
		}
		return true
	case *object:
		b, ok := b.(*object)
		if !ok || a.len() != b.len() {
			return false
		}
		for i, k := range a.keys {
			bv, ok := b.get(k)
			if !ok || !equal(a.vals[i], bv) {
				return false
			}
		}
		return true
	case json.Number:
		b, ok := b.(json.Number)
		return ok && a == b
	}
	return a == b
}

func compare(ok func(int) bool) func(ctx, []any) (any, error) {
	return func(_ ctx, args []any) (any, error) {
		if err := nargs("comparison", args, 2, 2); err != nil {
			return nil, err
		}
		switch a := args[0].(type) {
		case int64:
			if b, isInt := args[1].(int64); isInt {
				switch {
				case a < b:
					return ok(-1), nil
				case a > b:
					return ok(1), nil
				}
				return ok(0), nil
			}
		case string:
			if b, isStr := args[1].(string); isStr {
				return ok(strings.Compare(a, b)), nil
			}
		}
		return nil, fnErrorf("comparison needs two integers or two strings, not %s and %s", typeName(args[0]), typeName(args[1]))
	}
}

func fnBool(_ ctx, args []any) (any, error) {
	if err := nargs("bool", args, 1, 1); err != nil {
		return nil, err
	}
	switch v := args[0].(type) {
	case bool:
		return v, nil
	case int64:
		return v != 0, nil
	case string:
		switch strings.ToLower(v) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return nil, fnErrorf("bool() cannot convert %s", toJSONText(args[0]))
}

// --- numbers ---

func arith(name string, op func(a, b int64) (int64, error)) func(ctx, []any) (any, error) {
	return func(_ ctx, args []any) (any, error) {
		if err := nargs(name, args, 2, 2); err != nil {
			return nil, err
		}
		a, err := argInt(name, args, 0)
		if err != nil {
			return nil, err
		}
		b, err := argInt(name, args, 1)
		if err != nil {
			return nil, err
		}
		return op(a, b)
	}
}

func minMax(name string, better func(a, b int64) bool) func(ctx, []any) (any, error) {
	return func(_ ctx, args []any) (any, error) {
		if len(args) == 1 {
			if arr, ok := args[0].([]any); ok {
				args = arr
			}
		}
		if len(args) == 0 {
			return nil, fnErrorf("%s() needs at least one integer", name)
		}
		var best int64
		for i := range args {
			v, err := argInt(name, args, i)
			if err != nil {
				return nil, err
			}
			if i == 0 || better(v, best) {
				best = v
			}
		}
		return best, nil
	}
}

func fnInt(_ ctx, args []any) (any, error) {
	if err := nargs("int", args, 1, 1); err != nil {
		return nil, err
	}
	switch v := args[0].(type) {
	case int64:
		return v, nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nil, fnErrorf("int() cannot convert %q", v)
		}
		return n, nil
	case json.Number:
		f, err := v.Float64()
		if err == nil && !math.IsInf(f, 0) && math.Abs(f) < 1<<62 {
			return int64(f), nil
		}
	}
	return nil, fnErrorf("int() cannot convert %s", toJSONText(args[0]))
}

// --- strings ---

// text converts a value to its string form as ARM does in concat() and
// string(): booleans as "True"/"False", objects and arrays as JSON.
func text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		if v {
			return "True"
		}
		return "False"
	case nil:
		return ""
	case json.Number:
		return v.String()
	}
	return toJSONText(v)
}

func fnConcat(_ ctx, args []any) (any, error) {
	if len(args) == 0 {
		return "", nil
	}
	if _, ok := args[0].([]any); ok {
		out := []any{}
		for i, a := range args {
			switch a := a.(type) {
			case []any:
				out = append(out, a...)
			case nil:
			case *unknown:
				return a, nil
			default:
				return nil, fnErrorf("concat() argument %d is %s; arrays concatenate only with arrays", i+1, typeName(a))
			}
		}
		return out, nil
	}
	var b strings.Builder
	for i, a := range args {
		switch a := a.(type) {
		case *unknown:
			return a, nil
		case []any, *object:
			return nil, fnErrorf("concat() argument %d is %s; strings concatenate only with strings and numbers", i+1, typeName(a))
		}
		b.WriteString(text(a))
	}
	return b.String(), nil
}

func fnString(_ ctx, args []any) (any, error) {
	if err := nargs("string", args, 1, 1); err != nil {
		return nil, err
	}
	return text(args[0]), nil
}

// fnFormat implements .NET composite formatting: {0}, {1:D2}, {{ and }}.
func fnFormat(_ ctx, args []any) (any, error) {
	if err := nargs("format", args, 1, -1); err != nil {
		return nil, err
	}
	f, err := argString("format", args, 0)
	if err != nil {
		return nil, err
	}
	vals := args[1:]
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		ch := f[i]
		switch ch {
		case '{':
			if i+1 < len(f) && f[i+1] == '{' {
				b.WriteByte('{')
				i++
				continue
			}
			end := strings.IndexByte(f[i:], '}')
			if end < 0 {
				return nil, fnErrorf("format(): unclosed \"{\" in %q", f)
			}
			spec := f[i+1 : i+end]
			i += end
			idx, fmtSpec, _ := strings.Cut(spec, ":")
			idx, _, _ = strings.Cut(idx, ",")
			n, err := strconv.Atoi(strings.TrimSpace(idx))
			if err != nil || n < 0 {
				return nil, fnErrorf("format(): bad placeholder {%s} in %q", spec, f)
			}
			if n >= len(vals) {
				return nil, fnErrorf("format(): placeholder {%d} but only %d value%s", n, len(vals), plural(len(vals)))
			}
			s, err := formatValue(vals[n], fmtSpec)
			if err != nil {
				return nil, err
			}
			b.WriteString(s)
		case '}':
			if i+1 < len(f) && f[i+1] == '}' {
				i++
			}
			b.WriteByte('}')
		default:
			b.WriteByte(ch)
		}
	}
	return b.String(), nil
}

func formatValue(v any, spec string) (string, error) {
	if spec == "" {
		return text(v), nil
	}
	n, ok := v.(int64)
	if !ok {
		return text(v), nil
	}
	width := 0
	if len(spec) > 1 {
		w, err := strconv.Atoi(spec[1:])
		if err != nil {
			return "", fnErrorf("format(): unsupported format %q", spec)
		}
		width = w
	}
	switch spec[0] {
	case 'D', 'd':
		s := strconv.FormatInt(abs(n), 10)
		for len(s) < width {
			s = "0" + s
		}
		if n < 0 {
			s = "-" + s
		}
		return s, nil
	case 'X', 'x':
		s := strconv.FormatInt(n, 16)
		if spec[0] == 'X' {
			s = strings.ToUpper(s)
		}
		for len(s) < width {
			s = "0" + s
		}
		return s, nil
	case 'N', 'n':
		return strconv.FormatInt(n, 10), nil
	}
	return "", fnErrorf("format(): unsupported format %q", spec)
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func str1(name string, f func(string) string) func(ctx, []any) (any, error) {
	return func(_ ctx, args []any) (any, error) {
		if err := nargs(name, args, 1, 1); err != nil {
			return nil, err
		}
		s, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		return f(s), nil
	}
}

func strPred(name string, f func(s, p string) bool) func(ctx, []any) (any, error) {
	return func(_ ctx, args []any) (any, error) {
		if err := nargs(name, args, 2, 2); err != nil {
			return nil, err
		}
		s, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		p, err := argString(name, args, 1)
		if err != nil {
			return nil, err
		}
		return f(s, p), nil
	}
}

// strIndex implements indexOf and lastIndexOf, which ignore case.
func strIndex(name string, last bool) func(ctx, []any) (any, error) {
	return func(_ ctx, args []any) (any, error) {
		if err := nargs(name, args, 2, 2); err != nil {
			return nil, err
		}
		s, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		p, err := argString(name, args, 1)
		if err != nil {
			return nil, err
		}
		s, p = strings.ToLower(s), strings.ToLower(p)
		if last {
			return int64(strings.LastIndex(s, p)), nil
		}
		return int64(strings.Index(s, p)), nil
	}
}

func fnReplace(_ ctx, args []any) (any, error) {
	if err := nargs("replace", args, 3, 3); err != nil {
		return nil, err
	}
	var s [3]string
	for i := range s {
		v, err := argString("replace", args, i)
		if err != nil {
			return nil, err
		}
		s[i] = v
	}
	if s[1] == "" {
		return s[0], nil
	}
	return strings.ReplaceAll(s[0], s[1], s[2]), nil
}

func fnSubstring(_ ctx, args []any) (any, error) {
	if err := nargs("substring", args, 1, 3); err != nil {
		return nil, err
	}
	s, err := argString("substring", args, 0)
	if err != nil {
		return nil, err
	}
	start, length := int64(0), int64(-1)
	if len(args) > 1 {
		if start, err = argInt("substring", args, 1); err != nil {
			return nil, err
		}
	}
	if len(args) > 2 {
		if length, err = argInt("substring", args, 2); err != nil {
			return nil, err
		}
	}
	if start < 0 || start > int64(len(s)) {
		return nil, fnErrorf("substring(): start %d is outside the string of length %d", start, len(s))
	}
	if length < 0 {
		length = int64(len(s)) - start
	}
	if start+length > int64(len(s)) {
		return nil, fnErrorf("substring(): start %d and length %d go past the end of the string of length %d", start, length, len(s))
	}
	return s[start : start+length], nil
}

func fnTake(_ ctx, args []any) (any, error) { return takeSkip("take", args, true) }
func fnSkip(_ ctx, args []any) (any, error) { return takeSkip("skip", args, false) }

func takeSkip(name string, args []any, take bool) (any, error) {
	if err := nargs(name, args, 2, 2); err != nil {
		return nil, err
	}
	if u := firstUnknown(args...); u != nil {
		return u, nil
	}
	n, err := argInt(name, args, 1)
	if err != nil {
		return nil, err
	}
	switch v := args[0].(type) {
	case string:
		n = min(max(n, 0), int64(len(v)))
		if take {
			return v[:n], nil
		}
		return v[n:], nil
	case []any:
		n = min(max(n, 0), int64(len(v)))
		if take {
			return append([]any{}, v[:n]...), nil
		}
		return append([]any{}, v[n:]...), nil
	}
	return nil, fnErrorf("%s() needs a string or an array, not %s", name, typeName(args[0]))
}

func fnSplit(_ ctx, args []any) (any, error) {
	if err := nargs("split", args, 2, 2); err != nil {
		return nil, err
	}
	s, err := argString("split", args, 0)
	if err != nil {
		return nil, err
	}
	var seps []string
	switch d := args[1].(type) {
	case string:
		seps = []string{d}
	case []any:
		for _, x := range d {
			xs, ok := x.(string)
			if !ok {
				return nil, fnErrorf("split() delimiters must be strings")
			}
			seps = append(seps, xs)
		}
	default:
		return nil, fnErrorf("split() needs a string or an array of strings as delimiter, not %s", typeName(d))
	}
	parts := []string{s}
	for _, sep := range seps {
		if sep == "" {
			continue
		}
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func fnJoin(_ ctx, args []any) (any, error) {
	if err := nargs("join", args, 2, 2); err != nil {
		return nil, err
	}
	arr, ok := args[0].([]any)
	if !ok {
		return nil, fnErrorf("join() needs an array, not %s", typeName(args[0]))
	}
	sep, err := argString("join", args, 1)
	if err != nil {
		return nil, err
	}
	parts := make([]string, len(arr))
	for i, x := range arr {
		if u, ok := x.(*unknown); ok {
			return u, nil
		}
		parts[i] = text(x)
	}
	return strings.Join(parts, sep), nil
}

func fnPadLeft(_ ctx, args []any) (any, error) {
	if err := nargs("padLeft", args, 2, 3); err != nil {
		return nil, err
	}
	var s string
	switch v := args[0].(type) {
	case string:
		s = v
	case int64:
		s = strconv.FormatInt(v, 10)
	default:
		return nil, fnErrorf("padLeft() needs a string or an integer, not %s", typeName(v))
	}
	n, err := argInt("padLeft", args, 1)
	if err != nil {
		return nil, err
	}
	pad := " "
	if len(args) == 3 {
		if pad, err = argString("padLeft", args, 2); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(pad) != 1 {
			return nil, fnErrorf("padLeft() pads with one character, not %q", pad)
		}
	}
	if n > 16384 {
		return nil, fnErrorf("padLeft() length %d is too large", n)
	}
	if have := int64(utf8.RuneCountInString(s)); have < n {
		s = strings.Repeat(pad, int(n-have)) + s
	}
	return s, nil
}

func fnBase64ToString(_ ctx, args []any) (any, error) {
	if err := nargs("base64ToString", args, 1, 1); err != nil {
		return nil, err
	}
	s, err := argString("base64ToString", args, 0)
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fnErrorf("base64ToString(): %q is not base64", s)
	}
	return string(b), nil
}

func fnBase64ToJSON(c ctx, args []any) (any, error) {
	s, err := fnBase64ToString(c, args)
	if err != nil {
		return nil, err
	}
	return fnJSON(c, []any{s})
}

func fnUniqueString(_ ctx, args []any) (any, error) {
	parts, err := stringArgs("uniqueString", args)
	if err != nil {
		return nil, err
	}
	return UniqueString(parts...), nil
}

func fnGUID(_ ctx, args []any) (any, error) {
	parts, err := stringArgs("guid", args)
	if err != nil {
		return nil, err
	}
	return GUID(parts...), nil
}

// stringArgs returns the arguments of a function that takes one or more
// strings.
func stringArgs(fn string, args []any) ([]string, error) {
	if err := nargs(fn, args, 1, -1); err != nil {
		return nil, err
	}
	parts := make([]string, len(args))
	for i := range args {
		s, err := argString(fn, args, i)
		if err != nil {
			return nil, err
		}
		parts[i] = s
	}
	return parts, nil
}

func fnURI(_ ctx, args []any) (any, error) {
	if err := nargs("uri", args, 2, 2); err != nil {
		return nil, err
	}
	base, err := argString("uri", args, 0)
	if err != nil {
		return nil, err
	}
	rel, err := argString("uri", args, 1)
	if err != nil {
		return nil, err
	}
	b, err := url.Parse(base)
	if err != nil {
		return nil, fnErrorf("uri(): %q is not a URI", base)
	}
	r, err := url.Parse(rel)
	if err != nil {
		return nil, fnErrorf("uri(): %q is not a relative URI", rel)
	}
	return b.ResolveReference(r).String(), nil
}

func fnURIComponentToString(_ ctx, args []any) (any, error) {
	if err := nargs("uriComponentToString", args, 1, 1); err != nil {
		return nil, err
	}
	s, err := argString("uriComponentToString", args, 0)
	if err != nil {
		return nil, err
	}
	out, err := url.QueryUnescape(s)
	if err != nil {
		return nil, fnErrorf("uriComponentToString(): %q is not URI-encoded", s)
	}
	return out, nil
}

// --- arrays and objects ---

func fnLength(_ ctx, args []any) (any, error) {
	if err := nargs("length", args, 1, 1); err != nil {
		return nil, err
	}
	switch v := args[0].(type) {
	case string:
		return int64(utf8.RuneCountInString(v)), nil
	case []any:
		return int64(len(v)), nil
	case *object:
		return int64(v.len()), nil
	case *unknown:
		return v, nil
	}
	return nil, fnErrorf("length() needs a string, an array or an object, not %s", typeName(args[0]))
}

func fnEmpty(_ ctx, args []any) (any, error) {
	if err := nargs("empty", args, 1, 1); err != nil {
		return nil, err
	}
	switch v := args[0].(type) {
	case nil:
		return true, nil
	case string:
		return v == "", nil
	case []any:
		return len(v) == 0, nil
	case *object:
		return v.len() == 0, nil
	case *unknown:
		return v, nil
	}
	return false, nil
}

func fnFirst(_ ctx, args []any) (any, error) { return firstLast("first", args, false) }
func fnLast(_ ctx, args []any) (any, error)  { return firstLast("last", args, true) }

func firstLast(name string, args []any, last bool) (any, error) {
	if err := nargs(name, args, 1, 1); err != nil {
		return nil, err
	}
	switch v := args[0].(type) {
	case *unknown:
		return v, nil
	case string:
		if v == "" {
			return "", nil
		}
		r := []rune(v)
		if last {
			return string(r[len(r)-1]), nil
		}
		return string(r[0]), nil
	case []any:
		if len(v) == 0 {
			return nil, nil
		}
		if last {
			return v[len(v)-1], nil
		}
		return v[0], nil
	}
	return nil, fnErrorf("%s() needs a string or an array, not %s", name, typeName(args[0]))
}

func fnContains(_ ctx, args []any) (any, error) {
	if err := nargs("contains", args, 2, 2); err != nil {
		return nil, err
	}
	switch v := args[0].(type) {
	case string:
		s, ok := args[1].(string)
		if !ok {
			s = text(args[1])
		}
		return strings.Contains(v, s), nil
	case []any:
		for _, x := range v {
			if equal(x, args[1]) {
				return true, nil
			}
		}
		return false, nil
	case *object:
		k, ok := args[1].(string)
		if !ok {
			return nil, fnErrorf("contains() on an object needs a property name, not %s", typeName(args[1]))
		}
		_, found := v.get(k)
		return found, nil
	}
	return nil, fnErrorf("contains() needs a string, an array or an object, not %s", typeName(args[0]))
}

func fnJSON(_ ctx, args []any) (any, error) {
	if err := nargs("json", args, 1, 1); err != nil {
		return nil, err
	}
	s, err := argString("json", args, 0)
	if err != nil {
		return nil, err
	}
	v, err := parseJSON([]byte(s))
	if err != nil {
		return nil, fnErrorf("json(): %q is %v", s, err)
	}
	return v, nil
}

func fnArray(_ ctx, args []any) (any, error) {
	if err := nargs("array", args, 1, 1); err != nil {
		return nil, err
	}
	if arr, ok := args[0].([]any); ok {
		return arr, nil
	}
	if u, ok := args[0].(*unknown); ok {
		return u, nil
	}
	return []any{args[0]}, nil
}

func fnCreateObject(_ ctx, args []any) (any, error) {
	if len(args)%2 != 0 {
		return nil, fnErrorf("createObject() takes name-value pairs, not %d arguments", len(args))
	}
	o := newObject()
	for i := 0; i < len(args); i += 2 {
		k, ok := args[i].(string)
		if !ok {
			if u, isU := args[i].(*unknown); isU {
				return u, nil
			}
			return nil, fnErrorf("createObject() argument %d must be a property name, not %s", i+1, typeName(args[i]))
		}
		o.set(k, args[i+1])
	}
	return o, nil
}

func fnUnion(_ ctx, args []any) (any, error) {
	if err := nargs("union", args, 1, -1); err != nil {
		return nil, err
	}
	if u := firstUnknown(args...); u != nil {
		return u, nil
	}
	switch args[0].(type) {
	case *object:
		out := newObject()
		for i, a := range args {
			o, ok := a.(*object)
			if !ok {
				if a == nil {
					continue
				}
				return nil, fnErrorf("union() argument %d is %s; objects unite only with objects", i+1, typeName(a))
			}
			for j, k := range o.keys {
				if prev, ok := out.get(k); ok {
					if po, ok := prev.(*object); ok {
						if no, ok := o.vals[j].(*object); ok {
							merged, _ := fnUnion(ctx{}, []any{po, no})
							out.set(k, merged)
							continue
						}
					}
				}
				out.set(k, o.vals[j])
			}
		}
		return out, nil
	case []any:
		out := []any{}
		seen := map[string]bool{}
		for i, a := range args {
			arr, ok := a.([]any)
			if !ok {
				if a == nil {
					continue
				}
				return nil, fnErrorf("union() argument %d is %s; arrays unite only with arrays", i+1, typeName(a))
			}
			for _, x := range arr {
				if k := toJSONText(x); !seen[k] {
					seen[k] = true
					out = append(out, x)
				}
			}
		}
		return out, nil
	}
	return nil, fnErrorf("union() needs objects or arrays, not %s", typeName(args[0]))
}

func fnIntersection(_ ctx, args []any) (any, error) {
	if err := nargs("intersection", args, 2, -1); err != nil {
		return nil, err
	}
	switch first := args[0].(type) {
	case []any:
		var out []any
		for _, x := range first {
			in := true
			for _, a := range args[1:] {
				arr, ok := a.([]any)
				if !ok {
					return nil, fnErrorf("intersection() needs arrays only")
				}
				if !slices.ContainsFunc(arr, func(y any) bool { return equal(x, y) }) {
					in = false
					break
				}
			}
			if in && !slices.ContainsFunc(out, func(y any) bool { return equal(x, y) }) {
				out = append(out, x)
			}
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	case *object:
		out := newObject()
		for i, k := range first.keys {
			in := true
			for _, a := range args[1:] {
				o, ok := a.(*object)
				if !ok {
					return nil, fnErrorf("intersection() needs objects only")
				}
				if v, ok := o.get(k); !ok || !equal(v, first.vals[i]) {
					in = false
					break
				}
			}
			if in {
				out.set(k, first.vals[i])
			}
		}
		return out, nil
	}
	return nil, fnErrorf("intersection() needs arrays or objects, not %s", typeName(args[0]))
}

func fnRange(_ ctx, args []any) (any, error) {
	if err := nargs("range", args, 2, 2); err != nil {
		return nil, err
	}
	start, err := argInt("range", args, 0)
	if err != nil {
		return nil, err
	}
	count, err := argInt("range", args, 1)
	if err != nil {
		return nil, err
	}
	if count < 0 || count > 10000 {
		return nil, fnErrorf("range() count %d is outside 0-10000", count)
	}
	out := make([]any, count)
	for i := range out {
		out[i] = start + int64(i)
	}
	return out, nil
}

// fnItems turns an object into [{key, value}], sorted by key as ARM does.
func fnItems(_ ctx, args []any) (any, error) {
	if err := nargs("items", args, 1, 1); err != nil {
		return nil, err
	}
	o, ok := args[0].(*object)
	if !ok {
		if u, isU := args[0].(*unknown); isU {
			return u, nil
		}
		return nil, fnErrorf("items() needs an object, not %s", typeName(args[0]))
	}
	keys := append([]string(nil), o.keys...)
	slices.SortFunc(keys, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	out := make([]any, len(keys))
	for i, k := range keys {
		v, _ := o.get(k)
		e := newObject()
		e.set("key", k)
		e.set("value", v)
		out[i] = e
	}
	return out, nil
}

func fnObjectKeys(_ ctx, args []any) (any, error) {
	if err := nargs("objectKeys", args, 1, 1); err != nil {
		return nil, err
	}
	o, ok := args[0].(*object)
	if !ok {
		if u, isU := args[0].(*unknown); isU {
			return u, nil
		}
		return nil, fnErrorf("objectKeys() needs an object, not %s", typeName(args[0]))
	}
	out := make([]any, len(o.keys))
	for i, k := range o.keys {
		out[i] = k
	}
	return out, nil
}

func fnTryGet(_ ctx, args []any) (any, error) {
	if err := nargs("tryGet", args, 2, -1); err != nil {
		return nil, err
	}
	v := args[0]
	for _, k := range args[1:] {
		if u := firstUnknown(v, k); u != nil {
			return u, nil
		}
		switch x := v.(type) {
		case *object:
			s, ok := k.(string)
			if !ok {
				return nil, nil
			}
			if v, ok = x.get(s); !ok {
				if x.open {
					return unknownf("%s.%s is set by Azure during deployment", x.openDesc, s), nil
				}
				return nil, nil
			}
		case []any:
			i, ok := k.(int64)
			if !ok || i < 0 || i >= int64(len(x)) {
				return nil, nil
			}
			v = x[i]
		default:
			return nil, nil
		}
	}
	return v, nil
}

// --- CIDR ---

func argPrefix(name string, args []any) (netip.Prefix, error) {
	s, err := argString(name, args, 0)
	if err != nil {
		return netip.Prefix{}, err
	}
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, fnErrorf("%s(): %q is not a CIDR range", name, s)
	}
	return p.Masked(), nil
}

func fnParseCIDR(_ ctx, args []any) (any, error) {
	if err := nargs("parseCidr", args, 1, 1); err != nil {
		return nil, err
	}
	p, err := argPrefix("parseCidr", args)
	if err != nil {
		return nil, err
	}
	last := netipx.PrefixLastIP(p)
	mask := make([]byte, p.Addr().BitLen()/8)
	for i := range p.Bits() {
		mask[i/8] |= 0x80 >> (i % 8)
	}
	m, _ := netip.AddrFromSlice(mask)
	o := newObject()
	o.set("network", p.Addr().String())
	o.set("netmask", m.String())
	if p.Addr().Is4() {
		o.set("broadcast", last.String())
		first, lastUsable := p.Addr(), last
		if p.Bits() < 31 {
			first, lastUsable = p.Addr().Next(), last.Prev()
		}
		o.set("firstUsable", first.String())
		o.set("lastUsable", lastUsable.String())
	} else {
		o.set("firstUsable", p.Addr().String())
		o.set("lastUsable", last.String())
	}
	o.set("cidr", int64(p.Bits()))
	return o, nil
}

func fnCIDRSubnet(_ ctx, args []any) (any, error) {
	if err := nargs("cidrSubnet", args, 3, 3); err != nil {
		return nil, err
	}
	p, err := argPrefix("cidrSubnet", args)
	if err != nil {
		return nil, err
	}
	bits, err := argInt("cidrSubnet", args, 1)
	if err != nil {
		return nil, err
	}
	idx, err := argInt("cidrSubnet", args, 2)
	if err != nil {
		return nil, err
	}
	if bits < int64(p.Bits()) || bits > int64(p.Addr().BitLen()) {
		return nil, fnErrorf("cidrSubnet(): new prefix length %d must be between %d and %d", bits, p.Bits(), p.Addr().BitLen())
	}
	extra := bits - int64(p.Bits())
	if idx < 0 || extra < 63 && idx >= 1<<extra {
		return nil, fnErrorf("cidrSubnet(): index %d is outside the %d subnets /%d of %s", idx, uint64(1)<<min(extra, 63), bits, p)
	}
	a := addOffset(p.Addr(), uint64(idx), int(int64(p.Addr().BitLen())-bits))
	return netip.PrefixFrom(a, int(bits)).String(), nil
}

func fnCIDRHost(_ ctx, args []any) (any, error) {
	if err := nargs("cidrHost", args, 2, 2); err != nil {
		return nil, err
	}
	p, err := argPrefix("cidrHost", args)
	if err != nil {
		return nil, err
	}
	idx, err := argInt("cidrHost", args, 1)
	if err != nil {
		return nil, err
	}
	hostBits := p.Addr().BitLen() - p.Bits()
	usable := uint64(math.MaxUint64)
	if hostBits < 64 {
		usable = (uint64(1) << hostBits) - 1 // all but the network address
		if p.Addr().Is4() && hostBits >= 2 {
			usable-- // and the broadcast address
		}
	}
	if idx < 0 || uint64(idx) >= usable {
		return nil, fnErrorf("cidrHost(): host index %d is outside the usable addresses of %s", idx, p)
	}
	return addOffset(p.Addr(), uint64(idx)+1, 0).String(), nil
}

// addOffset returns a + off<<shift, computed on 128 bits; IPv4
// addresses stay IPv4 (callers keep the result inside the prefix).
func addOffset(a netip.Addr, off uint64, shift int) netip.Addr {
	if shift >= 128 {
		return a
	}
	b := a.As16()
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	var vhi, vlo uint64
	switch {
	case shift >= 64:
		vhi = off << (shift - 64)
	case shift == 0:
		vlo = off
	default:
		vlo, vhi = off<<shift, off>>(64-shift)
	}
	lo, carry := bits.Add64(lo, vlo, 0)
	hi, _ = bits.Add64(hi, vhi, carry)
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	out := netip.AddrFrom16(b)
	if a.Is4() {
		return out.Unmap()
	}
	return out
}
