package jsonenc

import (
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestAppendValue checks the reflection-free encoder of fix bodies
// against encoding/json: the same values, keys sorted, strings escaped.
func TestAppendValue(t *testing.T) {
	v := map[string]any{"name": "a\"b\\c\x01é", "properties": map[string]any{"priority": 299, "on": true, "off": false, "none": nil,
		"list": []string{"10.0.0.0/8", "tag"}, "rules": []any{map[string]any{"z": 1, "a": []any{}}}, "empty": map[string]any{}}}
	got := AppendValue(nil, v)
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	want, _ := json.Marshal(v)
	if err := json.Unmarshal(want, &b); err != nil {
		t.Fatal(err)
	}
	if ja, _ := json.Marshal(a); string(ja) != string(want) || string(got) != string(want) {
		t.Errorf("AppendValue = %s\nencoding/json = %s", got, want)
	}
}

// FuzzAppendString checks that strings are escaped exactly as
// encoding/json escapes them, whatever their bytes.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\", "<>&", "\t\n\r\b\f\x00\x1f\x7f", "é漢字", "\xff\xc3", "\u2028\u2029", "\xe2\x80", "\xed\xa0\x80",
		// Past a word: the byte to escape in the first, second and last,
		// overlapping word.
		"/subscriptions/0000/resourceGroups/rg", "<1234567", "1234567<", "12345678&", "123456789abcdef\"", "123456789\x7f\x80", "123456789abcde\u2028",
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-a/securityRules/deny>all"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}

// escaped reports whether encoding/json changes byte c of a string, or
// hands it to UTF-8 decoding: the reference needsEscape is held to.
func escaped(c byte) bool {
	if c >= 0x80 {
		return true
	}
	want, _ := json.Marshal(string([]byte{c}))
	return string(want) != `"`+string([]byte{c})+`"`
}

// boundary holds the bytes on either side of every class the word-at-a-time
// scan tells apart: control bytes and space, '"' and '&' and their
// neighbours, '<' and '>' and theirs, '\\' and its, DEL, and bytes with the
// high bit set.
var boundary = []byte{0x00, 0x01, 0x1f, 0x20, 0x21, '"', 0x23, 0x24, 0x25, '&', 0x27, 0x3b, '<', 0x3d, '>', 0x3f,
	0x5b, '\\', 0x5d, 'a', 0x7e, 0x7f, 0x80, 0xc3, 0xe2, 0xff}

// TestNeedsEscapeLowestMark checks the word-at-a-time test byte by byte:
// every byte value at every offset of a word among safe neighbours, and
// then words of boundary bytes, must mark exactly the lowest byte that
// encoding/json escapes (or that starts a UTF-8 sequence), even when
// borrows from it mark the bytes above.
func TestNeedsEscapeLowestMark(t *testing.T) {
	var esc [256]bool
	for c := range 256 {
		esc[c] = escaped(byte(c))
	}
	lowest := func(w [8]byte) int {
		for i, c := range w {
			if esc[c] {
				return i
			}
		}
		return 8
	}
	got := func(w [8]byte) int {
		if m := needsEscape(binary.LittleEndian.Uint64(w[:])); m != 0 {
			return bits.TrailingZeros64(m) / 8
		}
		return 8
	}
	// One byte of each value at each offset, among each safe filler.
	for fill := range 256 {
		if esc[fill] {
			continue
		}
		for c := range 256 {
			for p := range 8 {
				var w [8]byte
				for i := range w {
					w[i] = byte(fill)
				}
				w[p] = byte(c)
				if g, l := got(w), lowest(w); g != l {
					t.Fatalf("needsEscape(% x) marks byte %d, want %d", w, g, l)
				}
			}
		}
	}
	// Words made of boundary bytes, drawn by a fixed seed: two or more
	// bytes to escape, borrows running into safe bytes above them.
	rng := rand.New(rand.NewPCG(12, 2025))
	for range 1 << 20 {
		var w [8]byte
		for i := range w {
			w[i] = boundary[rng.IntN(len(boundary))]
		}
		if g, l := got(w), lowest(w); g != l {
			t.Fatalf("needsEscape(% x) marks byte %d, want %d", w, g, l)
		}
	}
}

// TestAppendStringEveryOffset compares AppendString with encoding/json on
// strings of 0 to 24 bytes — shorter than a word, a word, across two and
// three words with an overlapping last word — with every byte value at
// every offset, then with two boundary bytes at every pair of offsets, and
// with U+2028, U+2029, a valid two-byte rune and cut UTF-8 sequences at
// every offset.
func TestAppendStringEveryOffset(t *testing.T) {
	const filler = "/subscriptions/rg-a.b_c~" // 24 safe bytes
	check := func(s string) {
		t.Helper()
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Fatalf("AppendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	}
	for n := range len(filler) + 1 {
		check(filler[:n])
		for p := range n {
			for c := range 256 {
				s := []byte(filler[:n])
				s[p] = byte(c)
				check(string(s))
			}
			for q := p + 1; q < n; q++ {
				for _, c := range boundary {
					for _, d := range boundary {
						s := []byte(filler[:n])
						s[p], s[q] = c, d
						check(string(s))
					}
				}
			}
		}
		for _, r := range []string{"\u2028", "\u2029", "é", "\xe2\x80", "\xe2", "\xed\xa0\x80", "\xf0\x9f\x98\x80"} {
			for p := range n + 1 {
				check(filler[:p] + r + filler[p:n])
			}
		}
	}
}

// TestAppendStringNoAllocs holds AppendString to appending into the
// buffer it is given: no allocation when the buffer has room.
func TestAppendStringNoAllocs(t *testing.T) {
	buf := make([]byte, 0, 1024)
	for _, s := range []string{"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub", "a<b>&\"c\"\x01\u2028é\xff"} {
		if n := testing.AllocsPerRun(1000, func() { buf = AppendString(buf[:0], s) }); n != 0 {
			t.Errorf("AppendString(%q) allocates %v times", s, n)
		}
	}
}

var sink []byte

// BenchmarkAppendString measures the strings answers are made of: ARM IDs,
// short names and enumeration values, a prefix, and text with bytes to
// escape.
func BenchmarkAppendString(b *testing.B) {
	for _, c := range []struct{ name, s string }{
		{"id", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-spoke-0042/providers/Microsoft.Network/virtualNetworks/vnet-spoke-0042/subnets/snet-workload"},
		{"enum", "VirtualAppliance"},
		{"prefix", "10.42.1.0/24"},
		{"escapes", `deny "all" <from> spoke & hub, then allow`},
		{"utf8", "Zürich – réseau privé"},
	} {
		b.Run(c.name, func(b *testing.B) {
			buf := make([]byte, 0, 1024)
			b.SetBytes(int64(len(c.s)))
			for b.Loop() {
				buf = AppendString(buf[:0], c.s)
			}
			sink = buf
		})
	}
}
