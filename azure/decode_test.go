package azure

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sample returns a non-nil value of a pointer, slice or map type, which the
// SDK's MarshalJSON methods write out.
func sample(t reflect.Type) (reflect.Value, bool) {
	switch t.Kind() {
	case reflect.Pointer:
		v := reflect.New(t.Elem())
		switch e := v.Elem(); {
		case t.Elem() == reflect.TypeFor[time.Time]():
			e.Set(reflect.ValueOf(time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)))
		case e.Kind() == reflect.String:
			e.SetString("x")
		case e.Kind() == reflect.Bool:
			e.SetBool(true)
		case e.CanInt():
			e.SetInt(1)
		case e.CanFloat():
			e.SetFloat(1)
		}
		return v, true
	case reflect.Slice:
		return reflect.MakeSlice(t, 0, 0), true
	case reflect.Map:
		return reflect.MakeMap(t), true
	}
	return reflect.Value{}, false
}

func marshalKeys(t *testing.T, v reflect.Value) map[string]bool {
	t.Helper()
	data, err := json.Marshal(v.Interface())
	if err != nil {
		t.Fatalf("marshal %s: %v", v.Type(), err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s marshals to %s", v.Type(), data)
	}
	keys := map[string]bool{}
	for k := range m {
		keys[k] = true
	}
	return keys
}

// TestFieldNamesMatchSDK checks, for every SDK struct the supported
// resource types reach, that the decoder reads each field from the JSON key
// the SDK's own MarshalJSON writes it to.
func TestFieldNamesMatchSDK(t *testing.T) {
	initHandlers()
	plansMu.Lock()
	var structs []*plan
	for typ, p := range plans {
		if p.kind == kStruct && strings.Contains(typ.PkgPath(), "azure-sdk-for-go") {
			structs = append(structs, p)
		}
	}
	plansMu.Unlock()
	if len(structs) < 100 {
		t.Fatalf("only %d SDK structs reached", len(structs))
	}
	checked := 0
	for _, p := range structs {
		if _, ok := reflect.PointerTo(p.typ).MethodByName("MarshalJSON"); !ok {
			continue
		}
		base := marshalKeys(t, reflect.New(p.typ))
		for i := range p.typ.NumField() {
			f := p.typ.Field(i)
			s, ok := sample(f.Type)
			if !f.IsExported() || !ok {
				continue
			}
			v := reflect.New(p.typ)
			v.Elem().Field(i).Set(s)
			var added []string
			for k := range marshalKeys(t, v) {
				if !base[k] {
					added = append(added, k)
				}
			}
			if len(added) == 0 {
				// A discriminator, which MarshalJSON always writes.
				for k := range base {
					if got, ok := p.fields[strings.ToLower(k)]; ok && got.index == i {
						added = append(added, k)
					}
				}
			}
			if len(added) != 1 {
				t.Errorf("%s.%s marshals to keys %q", p.typ, f.Name, added)
				continue
			}
			got, ok := p.fields[strings.ToLower(added[0])]
			if !ok || got.index != i {
				t.Errorf("%s.%s: the SDK writes %q, which the decoder does not read into it", p.typ, f.Name, added[0])
			}
			checked++
		}
	}
	t.Logf("%d fields of %d structs checked", checked, len(structs))
}

func TestDecoderRecordsMismatchesAndGoesOn(t *testing.T) {
	type inner struct {
		Name *string
		Port *int32
	}
	type outer struct {
		ID    *string
		Items []*inner
		Tags  map[string]*string
		Flag  *bool
	}
	p := planFor(reflect.TypeFor[outer]())
	data := `{"id": "x", "ITEMS": [{"name": 1, "port": 80}, {"name": "b", "port": 3000000000}, null], "tags": {"a": "b", "c": [1]}, "flag": "yes", "extra": {"deep": [1, 2, {"x": null}]}}`
	d := &decoder{scanner: scanner{data: []byte(data)}}
	var v outer
	if !d.decode(reflect.ValueOf(&v).Elem(), p) {
		t.Fatalf("decode reported malformed JSON: %v", d.errs)
	}
	var got []string
	for _, e := range d.errs {
		got = append(got, e.path+": "+e.msg)
	}
	want := []string{
		".ITEMS[0].name: wrong JSON type: a number where a string is expected",
		".ITEMS[1].port: number 3000000000 is not an integer that fits int32",
		`.tags.c: wrong JSON type: an array where a string is expected`,
		".flag: wrong JSON type: a string where a boolean is expected",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if *v.ID != "x" || len(v.Items) != 3 || *v.Items[0].Port != 80 || *v.Items[1].Name != "b" || v.Items[2] != nil || *v.Tags["a"] != "b" {
		t.Errorf("decoded %+v", v)
	}
}

func TestDecoderUnescapesAndQuotesPaths(t *testing.T) {
	type props struct{ Value *string }
	type res struct {
		Name       *string
		Properties *props
	}
	p := planFor(reflect.TypeFor[res]())
	data := `{"name": "a\"b\u00e9\ud83d\ude00", "value": "flat", "we.ird key": {"x": 1}, "properties": {"value": 5}}`
	d := &decoder{scanner: scanner{data: []byte(data)}}
	var v res
	d.decode(reflect.ValueOf(&v).Elem(), p)
	if *v.Name != "a\"bé😀" {
		t.Errorf("name = %q", *v.Name)
	}
	if v.Properties == nil || *v.Properties.Value != "flat" {
		t.Errorf("flattened value not kept: %+v", v.Properties)
	}
	if len(d.errs) != 1 || d.errs[0].path != ".properties.value" || len(d.flat) != 1 || d.flat[0] != "" {
		t.Errorf("errs = %+v, flat = %q", d.errs, d.flat)
	}
	var b strings.Builder
	writeKey(&b, "we.ird key")
	writeKey(&b, "200")
	writeKey(&b, "addressPrefix")
	if b.String() != `["we.ird key"]["200"].addressPrefix` {
		t.Errorf("writeKey = %s", b.String())
	}
}

// TestNoAllocs checks the decoder's inner loops: key lookup and skipping
// values allocate nothing.
func TestNoAllocs(t *testing.T) {
	initHandlers()
	p := handlers["microsoft.network/virtualnetworks"].plan
	d := &decoder{}
	key := []byte("AddressSpace")
	t.Run("field", func(t *testing.T) {
		if n := testing.AllocsPerRun(1000, func() {
			if _, ok := d.field(p.props.plan.elem.fields, key, false); !ok {
				t.Fatal("addressSpace not found")
			}
		}); n != 0 {
			t.Errorf("field lookup allocates %v times", n)
		}
	})
	t.Run("skip", func(t *testing.T) {
		data := []byte(`{"a": [1, 2.5e3, true, null, {"b": "c\"d"}], "e": {}}`)
		if n := testing.AllocsPerRun(1000, func() {
			s := scanner{data: data}
			if err := s.skip(); err != nil || s.pos != len(data) {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("skip allocates %v times", n)
		}
	})
}
