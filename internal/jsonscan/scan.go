// Package jsonscan lexes JSON (RFC 8259) held in a byte slice: white
// space, strings and their escapes, numbers, literals, whole values, and
// the members of objects and elements of arrays one step at a time, with a
// bound on nesting.
//
// Every scanning function takes the input b and an index i into it and
// returns the index after what it read, or an [*Error] naming the offset,
// what was expected there and what was found. The functions keep no state,
// so they are safe for concurrent use; they allocate only for an error, and
// never panic on malformed input. The caller keeps its own position and
// decides what to do with each key and value.
//
// A caller that streams its input holds a window of it in b: a scan that
// runs off the end of the window fails with an [Error] of kind [End] (or,
// for a number, which may go on, ends exactly at len(b)), and the caller
// reads more and scans again from the same start.
//
// The grammar is exactly RFC 8259's, as encoding/json's Valid checks it,
// with a bound on nesting that the caller sets. Strings are not checked for
// valid UTF-8: their bytes pass through, as Valid lets them.
package jsonscan

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrorKind says what is wrong with malformed input.
type ErrorKind uint8

const (
	// Unexpected is a byte the grammar does not allow where it stands.
	Unexpected ErrorKind = iota
	// End is input that ends inside a value.
	End
	// TooDeep is an array or object nested deeper than the caller allows.
	TooDeep
	// BadEscape is a backslash in a string followed by a byte that starts
	// no escape.
	BadEscape
	// Control is a control character (below U+0020) inside a string.
	Control
)

// Error is malformed JSON at byte offset Off of the input given to the
// function that reports it. For [End], Off is the length of the input.
type Error struct {
	Off   int
	Kind  ErrorKind
	Found byte   // the byte at Off, except for End and TooDeep
	Want  string // for Unexpected: what the grammar allows at Off, such as "a value"
}

// Error describes the problem without its offset, which callers render as
// suits their input (a line and column, a stream offset):
// "expected ',' or ']' in array, found '}'", "unexpected end of JSON input",
// "JSON nested too deeply", `invalid escape "\\x"`, "control character in
// string".
func (e *Error) Error() string {
	switch e.Kind {
	case End:
		return "unexpected end of JSON input"
	case TooDeep:
		return "JSON nested too deeply"
	case BadEscape:
		if e.Found >= 0x20 && e.Found < 0x7f {
			return "invalid escape " + strconv.Quote(`\`+string(rune(e.Found)))
		}
		return `invalid escape: '\' followed by ` + QuoteByte(e.Found)
	case Control:
		return "control character in string"
	}
	return "expected " + e.Want + ", found " + QuoteByte(e.Found)
}

// QuoteByte quotes a byte for a message: 'x' for printable ASCII, else its
// hexadecimal value such as 0x0a.
func QuoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	const hex = "0123456789abcdef"
	return string([]byte{'0', 'x', hex[c>>4], hex[c&15]})
}

// Kind names the JSON kind of the value that starts with byte c, for
// messages: "an object", "an array", "a string", "a boolean", "null", "a
// number" (for any other byte) and "nothing" for 0, which callers use for
// the end of the input.
func Kind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case 0:
		return "nothing"
	}
	return "a number"
}

// unexpected reports b[i], or the end of the input, where want is expected.
func unexpected(b []byte, i int, want string) *Error {
	if i >= len(b) {
		return &Error{Off: len(b), Kind: End}
	}
	return &Error{Off: i, Kind: Unexpected, Found: b[i], Want: want}
}

// Space returns the index of the first byte at or after i that is not JSON
// white space, or len(b).
func Space(b []byte, i int) int {
	for i < len(b) && b[i] <= ' ' && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// plain marks the bytes a string holds as they are: not '"', '\\' or a
// control character.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// String scans the string whose opening quote is b[i]. It returns the
// index after the closing quote and whether the string holds escapes; its
// raw bytes are b[i+1 : end-1], which [Unescape] decodes.
func String(b []byte, i int) (end int, escaped bool, err *Error) {
	i++ // '"'
	for {
		for i < len(b) && plain[b[i]] {
			i++
		}
		if i >= len(b) {
			return 0, false, unexpected(b, i, "")
		}
		switch c := b[i]; c {
		case '"':
			return i + 1, escaped, nil
		case '\\':
			escaped = true
			i++
			if i >= len(b) {
				return 0, false, unexpected(b, i, "")
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				i++
				for range 4 {
					if i >= len(b) || !isHex(b[i]) {
						return 0, false, unexpected(b, i, `a hex digit in a \u escape`)
					}
					i++
				}
			default:
				return 0, false, &Error{Off: i, Kind: BadEscape, Found: b[i]}
			}
		default:
			return 0, false, &Error{Off: i, Kind: Control, Found: c}
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// Unescape appends the decoded form of raw, the bytes between the quotes
// of a string that [String] accepted, to dst, as encoding/json decodes it:
// a surrogate that is not half of a pair becomes U+FFFD. Raw bytes that
// String did not accept may make it panic.
func Unescape(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(raw[i+1 : i+5])
			i += 4
			if utf16.IsSurrogate(r) && i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				if d := utf16.DecodeRune(r, hex4(raw[i+3:i+7])); d != utf8.RuneError {
					r = d
					i += 6
				}
			}
			dst = utf8.AppendRune(dst, r) // U+FFFD for a lone surrogate
		default: // '"', '\\', '/'
			dst = append(dst, raw[i])
		}
	}
	return dst
}

// hex4 decodes four hexadecimal digits that isHex accepted.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c <= '9':
			c -= '0'
		case c >= 'a':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// delim marks the bytes that may follow a number or literal: white space
// and punctuation. Any other byte would run on into the token, as in 00 or
// truex, and is reported there.
var delim = func() (t [256]bool) {
	for _, c := range " \t\n\r,:[]{}\"" {
		t[c] = true
	}
	return t
}()

// Number scans the number that starts at b[i]; the byte after it must be
// white space or punctuation. A number that reaches len(b) ends there: a
// streaming caller reads more and scans again.
func Number(b []byte, i int) (end int, err *Error) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(b, i+1)
	default:
		return 0, unexpected(b, i, "a digit")
	}
	if i < len(b) && b[i] == '.' {
		if j := digits(b, i+1); j > i+1 {
			i = j
		} else {
			return 0, unexpected(b, j, "a digit after the decimal point")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return 0, unexpected(b, j, "a digit in the exponent")
		}
		i = j
	}
	if i < len(b) && !delim[b[i]] {
		return 0, unexpected(b, i, "the end of the number")
	}
	return i, nil
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// Literal scans the literal true, false or null that b[i] starts; the
// byte after it must be white space or punctuation.
func Literal(b []byte, i int) (end int, err *Error) {
	var lit string
	switch {
	case i >= len(b):
		return 0, unexpected(b, i, "a value")
	case b[i] == 't':
		lit = "true"
	case b[i] == 'f':
		lit = "false"
	case b[i] == 'n':
		lit = "null"
	default:
		return 0, unexpected(b, i, "a value")
	}
	for k := 1; k < len(lit); k++ { // point at the first byte that differs
		if i+k >= len(b) || b[i+k] != lit[k] {
			return 0, unexpected(b, i+k, lit)
		}
	}
	i += len(lit)
	if i < len(b) && !delim[b[i]] {
		return 0, unexpected(b, i, "the end of "+lit)
	}
	return i, nil
}

// Skip scans one value of any kind, after white space from i. depth is how
// many levels of arrays and objects may still open: an array or object
// needs 1, one nested in it 2, and so on.
func Skip(b []byte, i, depth int) (end int, err *Error) {
	i = Space(b, i)
	if i >= len(b) {
		return 0, unexpected(b, i, "")
	}
	switch b[i] {
	case '{':
		return skipObject(b, i, depth)
	case '[':
		return skipArray(b, i, depth)
	case '"':
		i, _, err = String(b, i)
		return i, err
	case 't', 'f', 'n':
		return Literal(b, i)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return Number(b, i)
	}
	return 0, unexpected(b, i, "a value")
}

func skipObject(b []byte, i, depth int) (int, *Error) {
	i, done, err := ObjectOpen(b, i, depth)
	for !done && err == nil {
		if _, _, i, err = Key(b, i); err != nil {
			break
		}
		if i, err = Skip(b, i, depth-1); err != nil {
			break
		}
		i, done, err = ObjectNext(b, i)
	}
	return i, err
}

func skipArray(b []byte, i, depth int) (int, *Error) {
	i, done, err := ArrayOpen(b, i, depth)
	for !done && err == nil {
		if i, err = Skip(b, i, depth-1); err != nil {
			break
		}
		i, done, err = ArrayNext(b, i)
	}
	return i, err
}

// ObjectOpen starts reading the object whose '{' is b[i]; depth is as for
// [Skip]. It returns the index of the first key's opening quote, for
// [Key], or done and the index after the '}' of an empty object.
func ObjectOpen(b []byte, i, depth int) (next int, done bool, err *Error) {
	if depth < 1 {
		return 0, false, &Error{Off: i, Kind: TooDeep}
	}
	i = Space(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, true, nil
	}
	if i < len(b) && b[i] == '"' {
		return i, false, nil
	}
	return 0, false, unexpected(b, i, "a string object key")
}

// Key scans the key whose opening quote is b[i] and the ':' after it. It
// returns the key's raw bytes (see [String]), whether they hold escapes,
// and the index of the member's value, after white space.
func Key(b []byte, i int) (key []byte, escaped bool, value int, err *Error) {
	j, escaped, err := String(b, i)
	if err != nil {
		return nil, false, 0, err
	}
	key = b[i+1 : j-1]
	j = Space(b, j)
	if j >= len(b) || b[j] != ':' {
		return nil, false, 0, unexpected(b, j, "':' after object key")
	}
	return key, escaped, Space(b, j+1), nil
}

// ObjectNext goes on from i, after a member's value: it returns the index
// of the next key's opening quote, or done and the index after the '}'.
func ObjectNext(b []byte, i int) (next int, done bool, err *Error) {
	i = Space(b, i)
	if i < len(b) {
		switch b[i] {
		case ',':
			i = Space(b, i+1)
			if i < len(b) && b[i] == '"' {
				return i, false, nil
			}
			return 0, false, unexpected(b, i, "a string object key")
		case '}':
			return i + 1, true, nil
		}
	}
	return 0, false, unexpected(b, i, "',' or '}' in object")
}

// ArrayOpen starts reading the array whose '[' is b[i]; depth is as for
// [Skip]. It returns the index of the first element, after white space, or
// done and the index after the ']' of an empty array.
func ArrayOpen(b []byte, i, depth int) (next int, done bool, err *Error) {
	if depth < 1 {
		return 0, false, &Error{Off: i, Kind: TooDeep}
	}
	i = Space(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, true, nil
	}
	return i, false, nil
}

// ArrayNext goes on from i, after an element: it returns the index of the
// next element, after white space, or done and the index after the ']'.
// The element itself is left to the caller, which reports a missing one
// (as in [1,]) when it reads it.
func ArrayNext(b []byte, i int) (next int, done bool, err *Error) {
	i = Space(b, i)
	if i < len(b) {
		switch b[i] {
		case ',':
			return Space(b, i+1), false, nil
		case ']':
			return i + 1, true, nil
		}
	}
	return 0, false, unexpected(b, i, "',' or ']' in array")
}
