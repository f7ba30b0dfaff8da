package tfplan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/vnetpath/vnetpath/azure/deploy"
)

// Options control evaluation. The zero value is ready to use.
type Options struct {
	// Name is the plan's file name, used in messages ("plan.json" when
	// empty).
	Name string
	// SubscriptionID is the subscription of the resources whose IDs the
	// plan leaves unknown. When empty, the subscription the plan's known
	// IDs name most often is used, else DefaultSubscriptionID.
	SubscriptionID string
}

// DefaultSubscriptionID is the subscription of built IDs when neither
// Options nor the plan name one.
const DefaultSubscriptionID = "00000000-0000-0000-0000-000000000000"

// Result is an evaluated plan: the estate after the plan is applied, and
// before it.
type Result struct {
	// Result holds the resources the plan leaves (planned_values), the
	// IDs it destroys (Deletes) and what is missing and skipped.
	deploy.Result
	// Before holds the resources of prior_state, or is nil when the plan
	// has none (plans of format 0.x, or of a new workspace).
	Before *deploy.Result
	// SubscriptionID is the subscription used to build IDs.
	SubscriptionID string
}

// inst is one managed resource instance of the plan or of its prior state.
type inst struct {
	addr     string
	module   string // module address, "" for the root module
	typ      string
	name     string
	key      any    // count index (json.Number) or for_each key (string), or nil
	provider string // "registry.terraform.io/hashicorp/azurerm"
	vals     map[string]any
	unk      any    // after_unknown: true, or a tree of maps and arrays
	path     string // JSON path of vals in the file
}

// PlanError is a malformed plan: the file, the JSON path of the bad value,
// and what is wrong with it.
type PlanError struct {
	File string
	Path string
	Msg  string
}

func (e *PlanError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// Evaluate reads the JSON of `terraform show -json PLANFILE` and returns
// the Azure resources the plan leaves, as the snapshot loader reads them,
// and those of its prior state.
//
// A file that is not JSON, or whose structure is not a plan's (a resource
// change without actions, values that are not an object) is an error
// naming the file and the JSON path; the Result is nil. Resources of other
// providers, data sources aside, and azurerm types vnetpath does not model
// are counted in Skipped. A resource whose ID the plan leaves unknown and
// whose name or resource group is unknown too cannot be named: it is
// reported in the returned error while the Result holds the rest.
func Evaluate(data []byte, opts Options) (*Result, error) {
	name := opts.Name
	if name == "" {
		name = "plan.json"
	}
	doc, err := decodeGeneric(data)
	if err != nil {
		return nil, &PlanError{File: name, Msg: err.Error()}
	}
	if err := checkShape(doc); err != nil {
		err.File = name
		return nil, err
	}
	var plan tfjson.Plan
	plan.UseJSONNumber(true)
	if err := json.Unmarshal(data, &plan); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, &PlanError{File: name, Path: "$." + te.Field, Msg: fmt.Sprintf("%s where %s is expected", te.Value, te.Type)}
		}
		path := ""
		if strings.Contains(err.Error(), "format version") {
			path = "$.format_version"
		}
		return nil, &PlanError{File: name, Path: path, Msg: err.Error()}
	}
	ev := &evaluator{file: name, plan: &plan}
	ev.index()
	ev.sub = opts.SubscriptionID
	if ev.sub == "" {
		ev.sub = ev.inferSubscription()
	}
	res := &Result{SubscriptionID: ev.sub}
	res.Result = *ev.evaluate(ev.after, true)
	res.Deletes = ev.deletes()
	if plan.PriorState != nil && plan.PriorState.Values != nil {
		res.Before = ev.evaluate(ev.before, false)
	}
	if len(ev.errs) > 0 {
		return res, errors.Join(ev.errs...)
	}
	return res, nil
}

// decodeGeneric decodes the file into maps, slices and json.Number, with
// a syntax error placed by line and column.
func decodeGeneric(data []byte) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("file is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("not valid JSON: %s: %v", position(data, int(se.Offset)-1), se)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New("not valid JSON: the document ends early")
		}
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("not valid JSON: %s: data after the top-level value", position(data, int(dec.InputOffset())))
	}
	return v, nil
}

func position(data []byte, off int) string {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// checkShape checks the parts of a plan that vnetpath reads, so that a
// malformed plan is reported at the JSON path of the bad value.
func checkShape(doc any) *PlanError {
	bad := func(path, msg string) *PlanError { return &PlanError{Path: path, Msg: msg} }
	root, ok := doc.(map[string]any)
	if !ok {
		return bad("$", "a plan is a JSON object, not "+kind(doc))
	}
	fv, ok := root["format_version"]
	if !ok {
		if _, isState := root["values"]; isState {
			return bad("$", "this is Terraform state (terraform show -json without a plan file), not a plan")
		}
		return bad("$", "not a Terraform plan: it has no format_version (the output of terraform show -json PLANFILE)")
	}
	if _, ok := fv.(string); !ok {
		return bad("$.format_version", "must be a string, not "+kind(fv))
	}
	var walkModule func(m any, path string) *PlanError
	walkModule = func(m any, path string) *PlanError {
		if m == nil {
			return nil
		}
		mo, ok := m.(map[string]any)
		if !ok {
			return bad(path, "a module must be an object, not "+kind(m))
		}
		if rs, ok := mo["resources"]; ok {
			arr, ok := rs.([]any)
			if !ok {
				return bad(path+".resources", "must be an array, not "+kind(rs))
			}
			for i, r := range arr {
				rp := path + ".resources[" + strconv.Itoa(i) + "]"
				ro, ok := r.(map[string]any)
				if !ok {
					return bad(rp, "a resource must be an object, not "+kind(r))
				}
				for _, k := range []string{"address", "type", "name"} {
					if s, ok := ro[k].(string); !ok || s == "" {
						return bad(rp+"."+k, "a resource needs a string "+k+", not "+kind(ro[k]))
					}
				}
				if v, ok := ro["values"]; ok && v != nil {
					if _, ok := v.(map[string]any); !ok {
						return bad(rp+".values", "must be an object, not "+kind(v))
					}
				}
			}
		}
		if cm, ok := mo["child_modules"]; ok {
			arr, ok := cm.([]any)
			if !ok {
				return bad(path+".child_modules", "must be an array, not "+kind(cm))
			}
			for i, c := range arr {
				if err := walkModule(c, path+".child_modules["+strconv.Itoa(i)+"]"); err != nil {
					return err
				}
			}
		}
		return nil
	}
	values := func(v any, path string) *PlanError {
		if v == nil {
			return nil
		}
		vo, ok := v.(map[string]any)
		if !ok {
			return bad(path, "must be an object, not "+kind(v))
		}
		return walkModule(vo["root_module"], path+".root_module")
	}
	if err := values(root["planned_values"], "$.planned_values"); err != nil {
		return err
	}
	if ps, ok := root["prior_state"]; ok && ps != nil {
		pso, ok := ps.(map[string]any)
		if !ok {
			return bad("$.prior_state", "must be an object, not "+kind(ps))
		}
		if err := values(pso["values"], "$.prior_state.values"); err != nil {
			return err
		}
	}
	if rc, ok := root["resource_changes"]; ok {
		arr, ok := rc.([]any)
		if !ok {
			return bad("$.resource_changes", "must be an array, not "+kind(rc))
		}
		for i, r := range arr {
			rp := "$.resource_changes[" + strconv.Itoa(i) + "]"
			ro, ok := r.(map[string]any)
			if !ok {
				return bad(rp, "a resource change must be an object, not "+kind(r))
			}
			if s, ok := ro["address"].(string); !ok || s == "" {
				return bad(rp+".address", "a resource change needs a string address, not "+kind(ro["address"]))
			}
			ch, ok := ro["change"].(map[string]any)
			if !ok {
				return bad(rp+".change", "must be an object, not "+kind(ro["change"]))
			}
			acts, ok := ch["actions"].([]any)
			if !ok || len(acts) == 0 {
				return bad(rp+".change.actions", "must be a non-empty array of actions, not "+kind(ch["actions"]))
			}
			for j, a := range acts {
				s, _ := a.(string)
				if !slices.Contains([]string{"no-op", "create", "read", "update", "delete", "forget"}, s) {
					return bad(rp+".change.actions["+strconv.Itoa(j)+"]", "unknown action "+kind(a))
				}
			}
			for _, k := range []string{"before", "after"} {
				if v, ok := ch[k]; ok && v != nil {
					if _, ok := v.(map[string]any); !ok {
						return bad(rp+".change."+k, "must be an object or null, not "+kind(v))
					}
				}
			}
		}
	}
	if c, ok := root["configuration"]; ok && c != nil {
		if _, ok := c.(map[string]any); !ok {
			return bad("$.configuration", "must be an object, not "+kind(c))
		}
	}
	return nil
}

// kind names a JSON value for messages.
func kind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return strconv.Quote(v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// evaluator holds one evaluation of a plan.
type evaluator struct {
	file    string
	plan    *tfjson.Plan
	sub     string
	after   []*inst
	before  []*inst
	byAddr  map[string]*inst // planned instances by address
	changes map[string]*tfjson.ResourceChange
	data    map[string]map[string]any // data source values by address (prior state)
	errs    []error
}

// index lists the planned and prior instances and the changes.
func (ev *evaluator) index() {
	ev.byAddr = map[string]*inst{}
	ev.changes = map[string]*tfjson.ResourceChange{}
	ev.data = map[string]map[string]any{}
	for _, rc := range ev.plan.ResourceChanges {
		if rc != nil && rc.DeposedKey == "" {
			ev.changes[rc.Address] = rc
		}
	}
	if pv := ev.plan.PlannedValues; pv != nil && pv.RootModule != nil {
		ev.after = ev.collect(pv.RootModule, "$.planned_values.root_module", true)
	}
	for _, in := range ev.after {
		ev.byAddr[in.addr] = in
	}
	if ps := ev.plan.PriorState; ps != nil && ps.Values != nil && ps.Values.RootModule != nil {
		ev.before = ev.collect(ps.Values.RootModule, "$.prior_state.values.root_module", false)
	}
}

// collect lists the managed instances of a module tree; data sources are
// kept aside for references.
func (ev *evaluator) collect(m *tfjson.StateModule, path string, planned bool) []*inst {
	var out []*inst
	for i, r := range m.Resources {
		if r == nil {
			continue
		}
		if r.Mode == tfjson.DataResourceMode {
			if r.AttributeValues != nil {
				ev.data[r.Address] = r.AttributeValues
			}
			continue
		}
		in := &inst{
			addr: r.Address, module: m.Address, typ: r.Type, name: r.Name, key: r.Index,
			provider: r.ProviderName, vals: r.AttributeValues,
			path: path + ".resources[" + strconv.Itoa(i) + "].values",
		}
		if in.vals == nil {
			in.vals = map[string]any{}
		}
		if planned {
			if rc, ok := ev.changes[r.Address]; ok && rc.Change != nil {
				in.unk = rc.Change.AfterUnknown
			}
		}
		out = append(out, in)
	}
	for i, c := range m.ChildModules {
		if c != nil {
			out = append(out, ev.collect(c, path+".child_modules["+strconv.Itoa(i)+"]", planned)...)
		}
	}
	return out
}

// inferSubscription returns the subscription most known IDs of the plan
// name, or DefaultSubscriptionID.
func (ev *evaluator) inferSubscription() string {
	counts := map[string]int{}
	var order []string
	note := func(id string) {
		l := strings.ToLower(id)
		if !strings.HasPrefix(l, "/subscriptions/") {
			return
		}
		sub, _, _ := strings.Cut(id[len("/subscriptions/"):], "/")
		if sub == "" {
			return
		}
		if counts[sub] == 0 {
			order = append(order, sub)
		}
		counts[sub]++
	}
	for _, set := range [][]*inst{ev.after, ev.before} {
		for _, in := range set {
			if id, ok := in.vals["id"].(string); ok {
				note(id)
			}
		}
	}
	for _, vals := range ev.data {
		if s, ok := vals["subscription_id"].(string); ok && s != "" {
			note("/subscriptions/" + s)
		}
	}
	best := ""
	for _, s := range order {
		if best == "" || counts[s] > counts[best] {
			best = s
		}
	}
	if best == "" {
		return DefaultSubscriptionID
	}
	return best
}

// deletes returns the IDs of the modelled resources the plan destroys and
// does not create again.
func (ev *evaluator) deletes() []string {
	var out []string
	for i, rc := range ev.plan.ResourceChanges {
		if rc == nil || rc.Mode != tfjson.ManagedResourceMode || rc.Change == nil || !rc.Change.Actions.Delete() {
			continue
		}
		t, ok := types[rc.Type]
		if !ok || t.arm == "" || !isAzureRM(rc.ProviderName, rc.Type) {
			continue // associations change another resource; deleting one deletes nothing
		}
		before, _ := rc.Change.Before.(map[string]any)
		in := &inst{addr: rc.Address, module: rc.ModuleAddress, typ: rc.Type, name: rc.Name, key: rc.Index, provider: rc.ProviderName, vals: before,
			path: "$.resource_changes[" + strconv.Itoa(i) + "].change.before"}
		if in.vals == nil {
			continue
		}
		c := &conv{ev: ev, in: in}
		id := c.resourceID(t)
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}

func isAzureRM(provider, typ string) bool {
	if provider != "" {
		p := strings.ToLower(provider)
		return p == "azurerm" || strings.HasSuffix(p, "/azurerm")
	}
	return strings.HasPrefix(typ, "azurerm_")
}
