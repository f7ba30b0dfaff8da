package servicetags

import (
	"encoding/json"
	"io"
	"net/netip"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/vnetpath/vnetpath/cidr"
)

// skipAll reads one value and then expects the end of the input, as
// json.Valid checks a document.
func skipAll(r io.Reader) error {
	s := newScanner(r)
	if err := s.skip(0); err != nil {
		return err
	}
	end, err := s.atEnd()
	if err != nil {
		return err
	}
	if !end {
		return s.syntax("more data")
	}
	return nil
}

var scanCases = []string{
	`{}`, `[]`, `""`, `0`, ` 7`, "\r\r-1.5", ` true`, ` "x"`, `-0`, `1.5e+10`, `-12.5E-3`, `true`, `false`, `null`,
	`{"a":[1,2,{"b":null}],"c":"d"}`,
	` { "a" : [ ] , "b" : { } } `,
	`"\u00e9\n\t\\\"\/"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ud83d\u0041"`,
	"\"caf\xc3\xa9\"", "\"\xff\"",
	// Invalid documents.
	``, ` `, `{`, `[`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{1:2}`, `{"a" 1}`,
	`01`, `1.`, `.5`, `1e`, `-`, `+1`, `tru`, `nul`, `truex`, `"abc`, `"\x"`, `"\u12"`, `"\u12g4"`,
	"\"a\nb\"", `[1]]`, `{}{}`, `"a"x`, `[}`, `{]`, `NaN`, `Infinity`,
}

func TestScannerAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range scanCases {
		want := json.Valid([]byte(in))
		for _, r := range []struct {
			name string
			r    io.Reader
		}{
			{"whole", strings.NewReader(in)},
			{"one byte", iotest.OneByteReader(strings.NewReader(in))},
		} {
			got := skipAll(r.r) == nil
			if got != want {
				t.Errorf("%s %q: scanner valid = %v, json.Valid = %v", r.name, in, got, want)
			}
		}
	}
}

func TestScannerStrings(t *testing.T) {
	for _, in := range scanCases {
		var want string
		if !strings.HasPrefix(in, `"`) || json.Unmarshal([]byte(in), &want) != nil {
			continue
		}
		for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
			s := newScanner(r)
			if _, err := s.peek(); err != nil {
				t.Fatal(err)
			}
			b, err := s.str()
			if err != nil {
				t.Errorf("str(%q): %v", in, err)
				continue
			}
			// encoding/json replaces invalid UTF-8; the scanner passes it through.
			if utf8.Valid(b) && string(b) != want {
				t.Errorf("str(%q) = %q, want %q", in, b, want)
			}
		}
	}
}

func TestScannerLongToken(t *testing.T) {
	// A string longer than the window makes the window grow.
	long := strings.Repeat("x", 3*scanWindow+17)
	s := newScanner(strings.NewReader(`["` + long + `"]`))
	if _, err := s.peek(); err != nil {
		t.Fatal(err)
	}
	var got string
	err := s.array(1, func(int) error {
		if _, err := s.peek(); err != nil {
			return err
		}
		b, err := s.str()
		got = string(b)
		return err
	})
	if err != nil || got != long {
		t.Fatalf("long string: err %v, len %d, want %d", err, len(got), len(long))
	}
}

func TestScannerDepthLimit(t *testing.T) {
	deep := strings.Repeat("[", maxDepth+10) + strings.Repeat("]", maxDepth+10)
	err := skipAll(strings.NewReader(deep))
	if err == nil || !strings.Contains(err.Error(), "nesting too deep") {
		t.Fatalf("deep nesting: err = %v, want nesting too deep", err)
	}
}

func TestScannerErrorOffset(t *testing.T) {
	err := skipAll(strings.NewReader(`{"a": [1, 2, x]}`))
	se, ok := err.(*syntaxError)
	if !ok || se.off != 13 {
		t.Fatalf("err = %#v, want a syntax error at byte 13", err)
	}
}

func TestParsePrefix4(t *testing.T) {
	// The fast path must take the common canonical form...
	for _, in := range []string{"1.2.3.0/24", "0.0.0.0/0", "255.255.255.255/32", "10.0.0.0/8", "4.149.98.192/27", "20.0.0.0/8"} {
		got, ok := parsePrefix4([]byte(in))
		if !ok || got != netip.MustParsePrefix(in) {
			t.Errorf("parsePrefix4(%q) = %v, %v; want %v, true", in, got, ok, in)
		}
	}
	// ...and never disagree with cidr.ParsePrefix, to which it leaves
	// everything else.
	for _, in := range []string{
		"1.2.3.4/24", "01.2.3.0/24", "1.2.3.0/024", "1.2.3.0/33", "256.1.1.0/24", "1.2.3/24",
		"1.2.3.0", "1.2.3.0/", "/24", "1.2.3.0/24 ", " 1.2.3.0/24", "1.2.3.0/2a", "2001:db8::/32", "",
		"1.2.3.0/00", "1111.2.3.0/24", "1.2.3.0/100", "1.2.3.0.0/24", "1.2.3.0//24",
	} {
		got, ok := parsePrefix4([]byte(in))
		want, err := cidr.ParsePrefix(in)
		if ok && (err != nil || got != want) {
			t.Errorf("parsePrefix4(%q) = %v, but cidr.ParsePrefix gives %v, %v", in, got, want, err)
		}
	}
}
