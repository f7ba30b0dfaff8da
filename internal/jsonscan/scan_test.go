package jsonscan

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// walk reads the value after white space from i with the step functions,
// as a caller that handles each member or element itself does, and returns
// the index after it. It must agree with Skip.
func walk(b []byte, i, depth int) (int, *Error) {
	i = Space(b, i)
	if i >= len(b) {
		return Skip(b, i, depth)
	}
	var err *Error
	switch b[i] {
	case '{':
		next, done, err := ObjectOpen(b, i, depth)
		for !done && err == nil {
			if _, _, next, err = Key(b, next); err != nil {
				break
			}
			if next, err = walk(b, next, depth-1); err != nil {
				break
			}
			next, done, err = ObjectNext(b, next)
		}
		return next, err
	case '[':
		next, done, err := ArrayOpen(b, i, depth)
		for !done && err == nil {
			if next, err = walk(b, next, depth-1); err != nil {
				break
			}
			next, done, err = ArrayNext(b, next)
		}
		return next, err
	case '"':
		i, _, err = String(b, i)
	case 't', 'f', 'n':
		i, err = Literal(b, i)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		i, err = Number(b, i)
	default:
		return Skip(b, i, depth) // not a value
	}
	return i, err
}

// valid reports whether b is one JSON value between white space, read with
// Skip or walk.
func valid(b []byte, depth int, step bool) bool {
	read := Skip
	if step {
		read = walk
	}
	end, err := read(b, 0, depth)
	return err == nil && Space(b, end) == len(b)
}

// cases are documents, valid and not, that json.Valid decides.
var cases = []string{
	`{}`, `[]`, `""`, `0`, ` 7`, "\r\r-1.5", ` true`, ` "x"`, `-0`, `1.5e+10`, `-12.5E-3`, `true`, `false`, `null`, `0e0`, `1E-0`,
	`{"a":[1,2,{"b":null}],"c":"d"}`, ` { "a" : [ ] , "b" : { } } `, "[\t1\n,\r2 ]",
	`"\u00e9\n\t\\\"\/\b\f\r"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ud83d\u0041"`, `"\ude00\ud83d"`, `"\uD83D\uDE00"`,
	"\"caf\xc3\xa9\"", "\"\xff\"", "\"\x7f\"",
	// Invalid documents.
	``, ` `, `{`, `[`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[,1]`, `[1 2]`, `{1:2}`, `{"a" 1}`, `{"a":1 "b":2}`, `{,}`,
	`01`, `1.`, `.5`, `1e`, `1e+`, `-`, `+1`, `-a`, `1.5.2`, `tru`, `nul`, `truex`, `nulll`, `True`, `"abc`, `"\x"`, `"\u12"`, `"\u12g4"`, `"\`,
	"\"a\nb\"", "\"a\x00\"", `[1]]`, `{}{}`, `"a"x`, `[}`, `{]`, `NaN`, `Infinity`, `[0x1]`, `[1"a"]`, `{"a":1}:`, "\xef\xbb\xbf{}",
}

func TestSkipAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range cases {
		want := json.Valid([]byte(in))
		for _, step := range []bool{false, true} {
			if got := valid([]byte(in), 10000, step); got != want {
				t.Errorf("%q (step functions %v): valid = %v, json.Valid = %v", in, step, got, want)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		in   string
		off  int
		kind ErrorKind
		msg  string
	}{
		{``, 0, End, "unexpected end of JSON input"},
		{`[1, 2`, 5, End, "unexpected end of JSON input"},
		{`"abc`, 4, End, "unexpected end of JSON input"},
		{`"ab\`, 4, End, "unexpected end of JSON input"},
		{`Name`, 0, Unexpected, "expected a value, found 'N'"},
		{`[1, ]`, 4, Unexpected, "expected a value, found ']'"},
		{`[1 2]`, 3, Unexpected, "expected ',' or ']' in array, found '2'"},
		{`{"a": 1, "b": 2]`, 15, Unexpected, "expected ',' or '}' in object, found ']'"},
		{`{1: 2}`, 1, Unexpected, "expected a string object key, found '1'"},
		{`{"a": 1, }`, 9, Unexpected, "expected a string object key, found '}'"},
		{`{"a" 1}`, 5, Unexpected, "expected ':' after object key, found '1'"},
		{`["\x"]`, 3, BadEscape, `invalid escape "\\x"`},
		{"\"\\\x01\"", 2, BadEscape, `invalid escape: '\' followed by 0x01`},
		{`"\u12g4"`, 5, Unexpected, `expected a hex digit in a \u escape, found 'g'`},
		{"\"a\tb\"", 2, Control, "control character in string"},
		{`-x`, 1, Unexpected, "expected a digit, found 'x'"},
		{`1.e5`, 2, Unexpected, "expected a digit after the decimal point, found 'e'"},
		{`1e+x`, 3, Unexpected, "expected a digit in the exponent, found 'x'"},
		{`[01]`, 2, Unexpected, "expected the end of the number, found '1'"},
		{`[1.5.2]`, 4, Unexpected, "expected the end of the number, found '.'"},
		{`trux`, 3, Unexpected, "expected true, found 'x'"},
		{`[nulll]`, 5, Unexpected, "expected the end of null, found 'l'"},
		{"[\x80]", 1, Unexpected, "expected a value, found 0x80"},
		{`[[[1]]]`, 2, TooDeep, "JSON nested too deeply"},
		{`{"a": {"b": {}}}`, 12, TooDeep, "JSON nested too deeply"},
	}
	for _, tt := range tests {
		for _, step := range []bool{false, true} {
			read := Skip
			if step {
				read = walk
			}
			_, err := read([]byte(tt.in), 0, 2)
			if err == nil {
				t.Errorf("%q: no error, want %q at %d", tt.in, tt.msg, tt.off)
				continue
			}
			if err.Off != tt.off || err.Kind != tt.kind || err.Error() != tt.msg {
				t.Errorf("%q (step functions %v): error %q (kind %d) at %d, want %q (kind %d) at %d", tt.in, step, err, err.Kind, err.Off, tt.msg, tt.kind, tt.off)
			}
		}
	}
}

func TestDepth(t *testing.T) {
	tests := []struct {
		in    string
		depth int
		ok    bool
	}{
		{`1`, 0, true},
		{`"s"`, 0, true},
		{`[]`, 0, false},
		{`{}`, 0, false},
		{`[]`, 1, true},
		{`[[]]`, 1, false},
		{`[{"a": [1]}]`, 3, true},
		{`[{"a": [1]}]`, 2, false},
		{`{"a": 1, "b": [2, {"c": null}]}`, 3, true},
	}
	for _, tt := range tests {
		for _, step := range []bool{false, true} {
			if got := valid([]byte(tt.in), tt.depth, step); got != tt.ok {
				t.Errorf("%q at depth %d (step functions %v): valid = %v, want %v", tt.in, tt.depth, step, got, tt.ok)
			}
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		in      string
		end     int
		escaped bool
		want    string
	}{
		{`""`, 2, false, ""},
		{`"abc" tail`, 5, false, "abc"},
		{`"a\"b"`, 6, true, `a"b`},
		{`"\\\/\b\f\n\r\t"`, 16, true, "\\/\b\f\n\r\t"},
		{`"\u00e9t\u00C9"`, 15, true, "étÉ"},
		{`"\ud83d\ude00!"`, 15, true, "😀!"},
		{`"\ud83d"`, 8, true, "\uFFFD"},
		{`"\ud83dx"`, 9, true, "\uFFFDx"},
		{`"\ude00\ud83d"`, 14, true, "\uFFFD\uFFFD"},
		{`"\ud83d\u0041"`, 14, true, "\uFFFDA"},
		{"\"caf\xff\"", 6, false, "caf\xff"},
	}
	for _, tt := range tests {
		end, esc, err := String([]byte(tt.in), 0)
		if err != nil || end != tt.end || esc != tt.escaped {
			t.Errorf("String(%q) = %d, %v, %v; want %d, %v, nil", tt.in, end, esc, err, tt.end, tt.escaped)
			continue
		}
		if got := string(Unescape(nil, []byte(tt.in[1:end-1]))); got != tt.want {
			t.Errorf("Unescape(%q) = %q, want %q", tt.in[1:end-1], got, tt.want)
		}
	}
	// Unescape appends.
	if got := string(Unescape([]byte("x="), []byte(`\u0041`))); got != "x=A" {
		t.Errorf("Unescape appends: %q", got)
	}
}

func TestNumberAndLiteral(t *testing.T) {
	tests := []struct {
		in  string
		end int // -1 for an error
	}{
		{`0`, 1}, {`-0`, 2}, {`12,`, 2}, {`-12.50e+3]`, 9}, {`1E9}`, 3}, {`7 `, 1}, {`7"`, 1}, {`7:`, 1},
		{`00`, -1}, {`-`, -1}, {`1.`, -1}, {`1e`, -1}, {`.5`, -1}, {`1x`, -1}, {`+1`, -1},
		{`true`, 4}, {`false,`, 5}, {`null]`, 4}, {`nul`, -1}, {`nulls`, -1}, {`fals e`, -1},
	}
	for _, tt := range tests {
		read := Number
		if c := tt.in[0]; c == 't' || c == 'f' || c == 'n' {
			read = Literal
		}
		end, err := read([]byte(tt.in), 0)
		if tt.end < 0 && err == nil || tt.end >= 0 && (err != nil || end != tt.end) {
			t.Errorf("%q: end %d, error %v; want end %d", tt.in, end, err, tt.end)
		}
	}
}

func TestSteps(t *testing.T) {
	b := []byte(` { "a" : 1 , "b\u0041" :[ true , "x" ] , "c":{}} `)
	var got []string
	next, done, err := ObjectOpen(b, 1, 2)
	for !done && err == nil {
		var key []byte
		var esc bool
		if key, esc, next, err = Key(b, next); err != nil {
			break
		}
		if esc {
			key = Unescape(nil, key)
		}
		got = append(got, string(key)+"@"+string(b[next]))
		if b[next] == '[' {
			i, done, err := ArrayOpen(b, next, 1)
			for !done && err == nil {
				got = append(got, "elem@"+string(b[i]))
				if i, err = Skip(b, i, 0); err == nil {
					i, done, err = ArrayNext(b, i)
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			next = i
		} else if next, err = Skip(b, next, 1); err != nil {
			break
		}
		next, done, err = ObjectNext(b, next)
	}
	if err != nil {
		t.Fatal(err)
	}
	want := "a@1 bA@[ elem@t elem@\" c@{"
	if strings.Join(got, " ") != want || next != len(b)-1 {
		t.Errorf("members %q, end %d; want %q, end %d", strings.Join(got, " "), next, want, len(b)-1)
	}
	if i, done, err := ArrayOpen([]byte(`[ ]`), 0, 1); !done || err != nil || i != 3 {
		t.Errorf("ArrayOpen of an empty array = %d, %v, %v", i, done, err)
	}
	if i, done, err := ObjectOpen([]byte(`{ }`), 0, 1); !done || err != nil || i != 3 {
		t.Errorf("ObjectOpen of an empty object = %d, %v, %v", i, done, err)
	}
}

// TestTruncated checks the contract streaming callers rely on: a valid
// document cut short gives an End error at the cut, or a value that ends at
// the cut or where it ends in the whole document; nothing else.
func TestTruncated(t *testing.T) {
	for _, in := range cases {
		b := []byte(in)
		if !json.Valid(b) {
			continue
		}
		checkTruncated(t, b)
	}
}

func checkTruncated(t *testing.T, b []byte) {
	t.Helper()
	full, err := Skip(b, 0, 10000)
	if err != nil {
		t.Fatalf("%q: %v", b, err)
	}
	for k := range len(b) {
		for _, read := range []func([]byte, int, int) (int, *Error){Skip, walk} {
			end, err := read(b[:k], 0, 10000)
			switch {
			case err != nil && (err.Kind != End || err.Off != k):
				t.Fatalf("%q cut at %d: %v at %d, want the end of input", b, k, err, err.Off)
			case err == nil && end != k && end != full:
				t.Fatalf("%q cut at %d: value ends at %d, want %d or %d", b, k, end, k, full)
			}
		}
	}
}

func TestKindAndQuoteByte(t *testing.T) {
	for in, want := range map[byte]string{'{': "an object", '[': "an array", '"': "a string", 't': "a boolean", 'f': "a boolean", 'n': "null", '-': "a number", '7': "a number", 0: "nothing"} {
		if got := Kind(in); got != want {
			t.Errorf("Kind(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[byte]string{'a': "'a'", '\'': `'\''`, ' ': "' '", '\n': "0x0a", 0x7f: "0x7f", 0xff: "0xff"} {
		if got := QuoteByte(in); got != want {
			t.Errorf("QuoteByte(%q) = %s, want %s", in, got, want)
		}
	}
}

// sharedTestdata holds real files: service-tag downloads and ARM REST API
// examples.
var sharedTestdata = filepath.Join("..", "..", "..", "shared", "testdata")

// jsonFiles returns the .json files under dir, none when it is absent.
func jsonFiles(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			out = append(out, path)
		}
		return nil
	})
	return out
}

func TestRealFiles(t *testing.T) {
	paths := jsonFiles(sharedTestdata)
	if len(paths) == 0 {
		t.Skip("../shared/testdata is absent: no real files to read")
	}
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []bool{false, true} {
			if got, want := valid(b, 10000, step), json.Valid(b); got != want {
				t.Errorf("%s (step functions %v): valid = %v, json.Valid = %v", path, step, got, want)
			}
		}
	}
}

// TestNoAllocs checks that reading valid input allocates nothing.
func TestNoAllocs(t *testing.T) {
	doc := []byte(`{"a": [1, -2.5e3, true, false, null, {"b": "c\"d\u00e9"}], "e": {}, "f": ""}`)
	tests := []struct {
		name string
		f    func() bool
	}{
		{"Skip", func() bool { end, err := Skip(doc, 0, 10); return err == nil && end == len(doc) }},
		{"steps", func() bool { end, err := walk(doc, 0, 10); return err == nil && end == len(doc) }},
		{"String", func() bool { end, esc, err := String(doc, 43); return err == nil && esc && end == 55 }},
		{"Number", func() bool { end, err := Number(doc, 10); return err == nil && end == 16 }},
		{"Unescape", func() bool { var buf [16]byte; return string(Unescape(buf[:0], doc[44:54])) == `c"dé` }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(1000, func() {
				if !tt.f() {
					t.Fatal("wrong result")
				}
			}); n != 0 {
				t.Errorf("%v allocations per call, want 0", n)
			}
		})
	}
}

// TestInlining checks that the compiler inlines Space, which callers run
// before nearly every token.
func TestInlining(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package with -gcflags=-m")
	}
	if runtime.Compiler != "gc" {
		t.Skip("inlining is checked for the gc compiler only")
	}
	out, err := exec.Command("go", "build", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	for _, fn := range []string{"Space", "isHex", "digits"} {
		if !regexp.MustCompile(`(?m)can inline ` + fn + `( |$)`).Match(out) {
			t.Errorf("%s is not inlinable", fn)
		}
	}
}
