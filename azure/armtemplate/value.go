package armtemplate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Values of the template language are held as:
//
//	nil            JSON null
//	bool
//	int64          integers (ARM integers are 64-bit)
//	json.Number    a JSON number that is not an integer, kept as written
//	string
//	[]any          arrays
//	*object        objects, keys in the order written
//	*unknown       a value that is not known before deployment
//
// Unknown values flow through the language: a function given one returns
// one (the reason kept), except where the result does not depend on it.

// object is a JSON object that keeps its keys in order. ARM looks property
// names up case-insensitively.
type object struct {
	keys []string
	vals []any
	// open marks the properties of a resource read through reference():
	// a property the template did not declare is set by Azure at
	// deployment, so reading it gives an unknown value, not an error.
	open     bool
	openDesc string // what reference() read, for the reason
}

func newObject() *object { return &object{} }

// index returns the position of key, matched exactly first and then
// case-insensitively, or -1.
func (o *object) index(key string) int {
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	for i, k := range o.keys {
		if strings.EqualFold(k, key) {
			return i
		}
	}
	return -1
}

func (o *object) get(key string) (any, bool) {
	if o == nil {
		return nil, false
	}
	if i := o.index(key); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
}

// set replaces the value of key (matched case-insensitively) or appends it.
func (o *object) set(key string, v any) {
	if i := o.index(key); i >= 0 {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
}

func (o *object) del(key string) {
	if i := o.index(key); i >= 0 {
		o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
		o.vals = append(o.vals[:i:i], o.vals[i+1:]...)
	}
}

func (o *object) len() int { return len(o.keys) }

// clone copies the object and, deeply, its objects and arrays.
func (o *object) clone() *object {
	c := &object{keys: append([]string(nil), o.keys...), vals: make([]any, len(o.vals)), open: o.open, openDesc: o.openDesc}
	for i, v := range o.vals {
		c.vals[i] = cloneValue(v)
	}
	return c
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case *object:
		return v.clone()
	case []any:
		c := make([]any, len(v))
		for i, x := range v {
			c[i] = cloneValue(x)
		}
		return c
	}
	return v
}

// MarshalJSON writes the object with its keys in order.
func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := marshalValue(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshalValue(v any) ([]byte, error) {
	switch v := v.(type) {
	case *unknown:
		return nil, errors.New("unknown value: " + v.reason)
	case *object:
		return v.MarshalJSON()
	case []any:
		var b bytes.Buffer
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			xb, err := marshalValue(x)
			if err != nil {
				return nil, err
			}
			b.Write(xb)
		}
		b.WriteByte(']')
		return b.Bytes(), nil
	case string:
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		return bytes.TrimRight(b.Bytes(), "\n"), nil
	}
	return json.Marshal(v)
}

// unknown is a value that is not known before deployment. reason says
// which value and why, e.g. "reference('/subscriptions/.../fw') is a
// resource outside the template".
type unknown struct {
	reason string
	expr   string // the first template expression that gave it
}

func unknownf(format string, args ...any) *unknown {
	return &unknown{reason: fmt.Sprintf(format, args...)}
}

// firstUnknown returns the first unknown value among vs, or nil.
func firstUnknown(vs ...any) *unknown {
	for _, v := range vs {
		if u, ok := v.(*unknown); ok {
			return u
		}
	}
	return nil
}

// findUnknown returns the JSON path (relative, starting with "." or "[")
// and the first unknown value nested in v, or "" and nil.
func findUnknown(v any) (string, *unknown) {
	switch v := v.(type) {
	case *unknown:
		return "", v
	case *object:
		for i, k := range v.keys {
			if p, u := findUnknown(v.vals[i]); u != nil {
				return pathKey(k) + p, u
			}
		}
	case []any:
		for i, x := range v {
			if p, u := findUnknown(x); u != nil {
				return "[" + strconv.Itoa(i) + "]" + p, u
			}
		}
	}
	return "", nil
}

// pathKey returns the JSON path step for an object key: ".key", or
// `["key"]` when the key is not a plain identifier.
func pathKey(k string) string {
	plain := k != ""
	for i, r := range k {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			plain = false
			break
		}
	}
	if plain {
		return "." + k
	}
	return "[" + strconv.Quote(k) + "]"
}

func pathIndex(i int) string { return "[" + strconv.Itoa(i) + "]" }

// typeName names the JSON type of a value, for messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case int64:
		return "an integer"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case *object:
		return "an object"
	case *unknown:
		return "an unknown value"
	}
	return fmt.Sprintf("%T", v)
}

// parseJSON reads one JSON document into template values, keeping object
// key order. Numbers that are integers become int64.
func parseJSON(data []byte) (any, error) {
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		data = data[3:]
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil, jsonError(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("not valid JSON: %s: data after the top-level value", position(data, int(dec.InputOffset())))
	}
	return v, nil
}

func jsonError(data []byte, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("not valid JSON: %s: %v", position(data, int(se.Offset)-1), se)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("not valid JSON: the document ends early")
	}
	return fmt.Errorf("not valid JSON: %s: %v", position(data, int(dec.InputOffset())), err)
}

// position returns "line L, column C" of a byte offset.
func position(data []byte, off int) string {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

func readValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	return readFrom(dec, tok)
}

func readFrom(dec *json.Decoder, tok json.Token) (any, error) {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := newObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				o.keys = append(o.keys, k)
				o.vals = append(o.vals, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected %q", t)
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i, nil
		}
		if f, err := t.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f), nil
		}
		return t, nil
	case string, bool, nil:
		return t, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// toJSONText renders a value as JSON for messages.
func toJSONText(v any) string {
	b, err := marshalValue(v)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

// describe names a value in messages: its JSON text, shortened.
func describe(v any) string {
	s := toJSONText(v)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
