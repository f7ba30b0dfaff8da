// Package jsonenc writes JSON without reflection, byte for byte as
// encoding/json does: the answers' encoder (render) and the bodies of
// fixes (engine) share it.
package jsonenc

import (
	"encoding/json"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendValue appends v as JSON, as encoding/json writes it, for the plain
// values JSON is made of — nil, bool, int, string, []string, []any and
// map[string]any (keys sorted) — without reflection (a nil slice is an
// empty array); other values go through encoding/json.
func AppendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case string:
		return AppendString(b, x)
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendString(b, s)
		}
		return append(b, ']')
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendValue(b, e)
		}
		return append(b, ']')
	case map[string]any:
		return AppendMap(b, x, AppendValue)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, j...)
}

// AppendMap appends a map with string keys, sorted as encoding/json sorts
// them, each value by val.
func AppendMap[V any](b []byte, m map[string]V, val func([]byte, V) []byte) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, k)
		b = append(b, ':')
		b = val(b, m[k])
	}
	return append(b, '}')
}

// safe marks the ASCII bytes a JSON string holds as they are:
// encoding/json escapes control characters, '"', '\\', and with HTML
// escaping (the default of json.Marshal) '<', '>' and '&'.
var safe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	t['"'], t['\\'], t['<'], t['>'], t['&'] = false, false, false, false, false
	return t
}()

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string exactly as encoding/json writes
// it with HTML escaping: invalid UTF-8 becomes U+FFFD, and U+2028 and
// U+2029 are escaped.
//
// Runs of bytes that need nothing are passed over eight at a time and
// copied in one go; each byte a word marks is then looked at alone, so a
// mark is only a hint, but a byte to escape is never left unmarked.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		switch {
		case len(s)-i >= 8:
			m := needsEscape(load64(s, i))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) / 8
		case len(s) >= 8:
			// Fewer than eight bytes are left: the word that ends with s
			// holds them, above bytes already seen, whose marks are
			// cleared.
			k := len(s) - 8
			m := needsEscape(load64(s, k)) &^ (1<<(8*(i-k)) - 1)
			if m == 0 {
				i = len(s)
				continue
			}
			i = k + bits.TrailingZeros64(m)/8
		}
		if c := s[i]; c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Constants of the word-at-a-time scan: a byte value repeated in each of
// the eight bytes of a word, and each byte's high bit.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// load64 returns the eight bytes of s from i as a little-endian word. The
// compiler turns it into one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// needsEscape marks the bytes of w that are not [safe] ASCII: it returns
// a word whose lowest set bit is the high bit of the lowest such byte (bytes
// above it may be marked too), or zero when all eight are safe.
//
// A byte of 0x80 or above is marked by its own high bit: it starts a UTF-8
// sequence, checked one rune at a time. A byte below 0x80 is marked by the
// high bit of a byte-wise subtraction, which wraps only where the byte is
// below what is subtracted: below 0x20 for control bytes, below 1 for a
// byte made zero by xor with the byte to find. Such a wrap borrows from the
// byte above, which may then be marked wrongly; borrows run from low bytes
// to high and start only at a byte rightly marked, so the lowest mark is
// always right.
func needsEscape(w uint64) uint64 {
	// '"' (0x22) and '&' (0x26) differ only in bit 2, '<' (0x3c) and '>'
	// (0x3e) only in bit 1: with that bit set, each pair is one value.
	qa := (w | 0x04*ones) ^ 0x26*ones
	lg := (w | 0x02*ones) ^ 0x3e*ones
	bs := w ^ '\\'*ones
	return (w | (w - 0x20*ones) | (qa - ones) | (lg - ones) | (bs - ones)) & highs
}
