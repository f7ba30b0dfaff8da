package azure

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
)

// FixesFile is the file ApplyPatches writes the resources that patches
// add to.
const FixesFile = "vnetpath-fixes.json"

// ApplyPatches applies the ARM-level edits of fixes ([answer.Fix.Patch]) to
// the raw JSON of a snapshot: files maps file names to their contents, in
// any of the shapes of SPEC §2 (an array of resources, {"value": [...]},
// {"data": [...]}, a single resource, a REST API example). It returns the
// files after the edits; files that no patch touched are returned as they
// were, the others re-encoded.
//
//   - set finds the resource by ID (case-insensitively) wherever it is, at
//     the top of a file or embedded in its parent (a child written without
//     an ID is known by its parent's ID, its list and its name), and sets
//     the property path, creating objects and lists on the way. A
//     "properties." path also reaches a resource written flattened, as the
//     Azure CLI prints it. Every copy of the resource is changed.
//   - add appends the new resource, with its id and type, to FixesFile; a
//     resource that is already there with the same body is left as it is.
//   - remove deletes every copy of the resource.
//
// A patch whose resource is not in the files, a path that does not fit the
// JSON, or an add that clashes with a different resource of the same ID is
// an error naming the patch; files are not changed then.
func ApplyPatches(files map[string][]byte, patches []answer.Patch) (map[string][]byte, error) {
	docs := map[string]*patchDoc{}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v, err := decodeJSON(files[name])
		if err != nil {
			return nil, fmt.Errorf("%s: not valid JSON: %w", name, err)
		}
		docs[name] = &patchDoc{root: v}
	}
	if _, ok := docs[FixesFile]; !ok {
		docs[FixesFile] = &patchDoc{root: []any{}}
		names = append(names, FixesFile)
	}
	for i, p := range patches {
		if err := applyPatch(docs, names, p); err != nil {
			return nil, fmt.Errorf("patch %d (%s %s): %w", i, p.Op, p.ID, err)
		}
	}
	out := make(map[string][]byte, len(docs))
	for _, name := range names {
		d := docs[name]
		if !d.changed {
			if b, ok := files[name]; ok {
				out[name] = b
			}
			continue
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d.root); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = buf.Bytes()
	}
	return out, nil
}

// patchDoc is one file, decoded.
type patchDoc struct {
	root    any
	changed bool
}

func decodeJSON(b []byte) (any, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func applyPatch(docs map[string]*patchDoc, names []string, p answer.Patch) error {
	id := strings.TrimSpace(p.ID)
	if id == "" {
		return fmt.Errorf("no resource ID")
	}
	switch p.Op {
	case answer.PatchSet:
		segs, err := parsePath(p.Property)
		if err != nil {
			return err
		}
		val, err := decodeJSON(p.Value)
		if err != nil {
			return fmt.Errorf("value: %w", err)
		}
		found := false
		for _, name := range names {
			d := docs[name]
			var ferr error
			visitResources(d.root, "", "", func(obj map[string]any, _ []any, _ int) bool {
				if !strings.EqualFold(obj[idKey].(string), id) {
					return false
				}
				found = true
				if err := setPath(obj, segs, val); err != nil && ferr == nil {
					ferr = fmt.Errorf("%s: %s: %w", name, p.Property, err)
				}
				d.changed = true
				return false
			})
			if ferr != nil {
				return ferr
			}
		}
		if !found {
			return fmt.Errorf("the resource is not in the snapshot")
		}
	case answer.PatchRemove:
		found := false
		for _, name := range names {
			d := docs[name]
			if obj, ok := d.root.(map[string]any); ok && isResource(obj) && strings.EqualFold(resourceID(obj, ""), id) {
				d.root, d.changed, found = []any{}, true, true // a file of that one resource
				continue
			}
			d.root = removeResources(d.root, "", "", id, &found, &d.changed)
		}
		if !found {
			return fmt.Errorf("the resource is not in the snapshot")
		}
	case answer.PatchAdd:
		body, err := decodeJSON(p.Value)
		if err != nil {
			return fmt.Errorf("value: %w", err)
		}
		obj, ok := body.(map[string]any)
		if !ok {
			return fmt.Errorf("the body is not a JSON object")
		}
		obj["id"] = id
		if _, ok := obj["type"]; !ok && p.Type != "" {
			obj["type"] = p.Type
		}
		if _, ok := obj["name"]; !ok {
			obj["name"] = id[strings.LastIndex(id, "/")+1:]
		}
		for _, name := range names {
			var clash error
			same := false
			visitResources(docs[name].root, "", "", func(x map[string]any, _ []any, _ int) bool {
				if !strings.EqualFold(x[idKey].(string), id) {
					return false
				}
				if equalJSON(x, obj) {
					same = true
				} else if clash == nil {
					clash = fmt.Errorf("%s already holds a different resource with this ID", name)
				}
				return false
			})
			if clash != nil {
				return clash
			}
			if same {
				return nil
			}
		}
		d := docs[FixesFile]
		list, ok := topLevelList(d.root)
		if !ok {
			return fmt.Errorf("%s does not hold a list of resources", FixesFile)
		}
		setTopLevelList(d, append(list, obj))
		d.changed = true
	default:
		return fmt.Errorf("unknown operation %q (want add, set or remove)", p.Op)
	}
	return nil
}

// idKey is where visitResources leaves the ID a resource is known by
// (its own, or derived from its parent's), for the duration of a visit.
const idKey = "\x00id"

// visitResources calls f for every resource object in the tree v, with
// idKey set to its ID (derived from parent, list key and name for an
// embedded child written without one). parent is the ID of the nearest
// enclosing resource and key the member the value sits in. f returning
// true stops the visit below that resource.
func visitResources(v any, parent, key string, f func(obj map[string]any, list []any, i int) bool) {
	switch x := v.(type) {
	case map[string]any:
		if isResource(x) {
			id := resourceID(x, "")
			if id == "" && parent != "" && key != "" {
				id = resourceID(x, parent+"/"+key)
			}
			if id != "" {
				x[idKey] = id
				stop := f(x, nil, -1)
				delete(x, idKey)
				if stop {
					return
				}
				parent = id
			}
		}
		for k, c := range x {
			visitResources(c, parent, k, f)
		}
	case []any:
		for _, c := range x {
			visitResources(c, parent, key, f)
		}
	}
}

// isResource tells a resource from a reference ({"id": ...}) and from
// plain values: it has an id or a name, and something beyond an id and a
// resource group.
func isResource(x map[string]any) bool {
	_, hasID := x["id"]
	_, hasName := x["name"]
	if !hasID && !hasName {
		return false
	}
	for k := range x {
		switch strings.ToLower(k) {
		case "id", "resourcegroup", idKey:
		default:
			return true
		}
	}
	return false
}

// resourceID returns the id of x, or, when x has none and prefix is set,
// prefix + "/" + its name.
func resourceID(x map[string]any, prefix string) string {
	if s, ok := x["id"].(string); ok && strings.TrimSpace(s) != "" {
		return strings.TrimSpace(s)
	}
	if prefix == "" {
		return ""
	}
	if n, ok := x["name"].(string); ok && strings.TrimSpace(n) != "" {
		return prefix + "/" + strings.TrimSpace(n)
	}
	return ""
}

// removeResources returns v without the resources whose ID is id.
func removeResources(v any, parent, key, id string, found, changed *bool) any {
	switch x := v.(type) {
	case map[string]any:
		if isResource(x) {
			rid := resourceID(x, "")
			if rid == "" && parent != "" && key != "" {
				rid = resourceID(x, parent+"/"+key)
			}
			if rid != "" {
				parent = rid
			}
		}
		for k, c := range x {
			x[k] = removeResources(c, parent, k, id, found, changed)
		}
		return x
	case []any:
		out := x[:0:0]
		for _, c := range x {
			if m, ok := c.(map[string]any); ok && isResource(m) {
				rid := resourceID(m, "")
				if rid == "" && parent != "" && key != "" {
					rid = resourceID(m, parent+"/"+key)
				}
				if strings.EqualFold(rid, id) {
					*found, *changed = true, true
					continue
				}
			}
			out = append(out, removeResources(c, parent, key, id, found, changed))
		}
		return out
	}
	return v
}

// topLevelList returns the list of resources of a file's root: the array,
// or the "value" or "data" list.
func topLevelList(root any) ([]any, bool) {
	switch x := root.(type) {
	case []any:
		return x, true
	case map[string]any:
		for _, k := range []string{"value", "data"} {
			if l, ok := x[k].([]any); ok {
				return l, true
			}
		}
	}
	return nil, false
}

func setTopLevelList(d *patchDoc, l []any) {
	if m, ok := d.root.(map[string]any); ok {
		for _, k := range []string{"value", "data"} {
			if _, ok := m[k].([]any); ok {
				m[k] = l
				return
			}
		}
	}
	d.root = l
}

// equalJSON reports whether two decoded JSON values are the same, ignoring
// the case of the "id" member's value.
func equalJSON(a, b map[string]any) bool {
	x, y := map[string]any{}, map[string]any{}
	for k, v := range a {
		if k != idKey && k != "id" {
			x[k] = v
		}
	}
	for k, v := range b {
		if k != "id" {
			y[k] = v
		}
	}
	return reflect.DeepEqual(normal(x), normal(y))
}

// normal re-decodes a value so that numbers and nesting compare alike.
func normal(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	n, err := decodeJSON(b)
	if err != nil {
		return v
	}
	return n
}

// pathSeg is one step of a property path: a member name, an index, or an
// append to a list (index -1).
type pathSeg struct {
	name  string
	index int
	isIdx bool
}

// parsePath splits "properties.a[0].b[-][\"x.y\"]" into its steps.
func parsePath(p string) ([]pathSeg, error) {
	var out []pathSeg
	bad := func(msg string) ([]pathSeg, error) {
		return nil, fmt.Errorf("property path %q: %s", p, msg)
	}
	i := 0
	for i < len(p) {
		switch c := p[i]; {
		case c == '.':
			i++
		case c == '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return bad("unclosed [")
			}
			in := p[i+1 : i+end]
			switch {
			case strings.HasPrefix(in, `"`):
				s, err := strconv.Unquote(in)
				if err != nil {
					return bad("bad quoted name " + in)
				}
				out = append(out, pathSeg{name: s})
			case in == "-":
				out = append(out, pathSeg{index: -1, isIdx: true})
			default:
				n, err := strconv.Atoi(in)
				if err != nil || n < 0 {
					return bad("bad index " + in)
				}
				out = append(out, pathSeg{index: n, isIdx: true})
			}
			i += end + 1
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			out = append(out, pathSeg{name: p[i:j]})
			i = j
		}
	}
	if len(out) == 0 {
		return bad("empty")
	}
	return out, nil
}

// topLevelKeys are members a resource has beside its properties; any other
// member means the resource is written flattened.
var topLevelKeys = map[string]bool{"id": true, "name": true, "type": true, "location": true, "etag": true, "tags": true,
	"sku": true, "kind": true, "zones": true, "identity": true, "resourcegroup": true, "subscriptionid": true,
	"managedby": true, "extendedlocation": true, "systemdata": true, "plan": true, "properties": true, idKey: true}

// setPath sets the value at segs in the resource obj. A path that starts
// with "properties" also sets the member where a flattened resource has
// it.
func setPath(obj map[string]any, segs []pathSeg, val any) error {
	if !segs[0].isIdx && strings.EqualFold(segs[0].name, "properties") && len(segs) > 1 {
		k, hasProps := lookupKey(obj, "properties")
		flat := false
		for key := range obj {
			if !topLevelKeys[strings.ToLower(key)] {
				flat = true
			}
		}
		if hasProps {
			if props, ok := obj[k].(map[string]any); ok {
				if err := setIn(props, segs[1:], val); err != nil {
					return err
				}
				// A member written beside "properties" as well wins or
				// loses by order: keep both alike.
				if !segs[1].isIdx {
					if k2, ok := lookupKey(obj, segs[1].name); ok && !topLevelKeys[strings.ToLower(k2)] {
						return setIn(obj, segs[1:], val)
					}
				}
				return nil
			}
		}
		if flat {
			return setIn(obj, segs[1:], val)
		}
	}
	return setIn(obj, segs, val)
}

// setIn walks segs from container c, creating what is missing, and sets
// the last one to val.
func setIn(c any, segs []pathSeg, val any) error {
	s := segs[0]
	last := len(segs) == 1
	fresh := func() any {
		if last {
			return val
		}
		if segs[1].isIdx {
			return []any{}
		}
		return map[string]any{}
	}
	if !s.isIdx {
		m, ok := c.(map[string]any)
		if !ok {
			return fmt.Errorf("%q is not inside an object", s.name)
		}
		k, ok := lookupKey(m, s.name)
		if !ok {
			k = s.name
			m[k] = fresh()
			if last {
				return nil
			}
		} else if last {
			m[k] = val
			return nil
		}
		next := m[k]
		if segs[1].isIdx {
			l, ok := next.([]any)
			if !ok {
				if next != nil {
					return fmt.Errorf("%q is not a list", s.name)
				}
				l = []any{}
			}
			l, err := setInList(l, segs[1:], val)
			if err != nil {
				return err
			}
			m[k] = l
			return nil
		}
		if next == nil {
			next = map[string]any{}
			m[k] = next
		}
		return setIn(next, segs[1:], val)
	}
	return fmt.Errorf("an index must follow a list member")
}

// setInList applies segs (starting with an index) to list l and returns
// the list, grown when the index appends.
func setInList(l []any, segs []pathSeg, val any) ([]any, error) {
	s := segs[0]
	last := len(segs) == 1
	i := s.index
	if i < 0 || i == len(l) {
		var v any = map[string]any{}
		if last {
			v = val
		} else if segs[1].isIdx {
			v = []any{}
		}
		l = append(l, v)
		i = len(l) - 1
		if last {
			return l, nil
		}
	} else if i > len(l) {
		return nil, fmt.Errorf("index %d is past the end of a list of %d", i, len(l))
	} else if last {
		l[i] = val
		return l, nil
	}
	if segs[1].isIdx {
		inner, ok := l[i].([]any)
		if !ok {
			return nil, fmt.Errorf("element %d is not a list", i)
		}
		inner, err := setInList(inner, segs[1:], val)
		if err != nil {
			return nil, err
		}
		l[i] = inner
		return l, nil
	}
	if l[i] == nil {
		l[i] = map[string]any{}
	}
	return l, setIn(l[i], segs[1:], val)
}

// lookupKey finds a member name of m case-insensitively.
func lookupKey(m map[string]any, name string) (string, bool) {
	if _, ok := m[name]; ok {
		return name, true
	}
	for k := range m {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	return "", false
}
