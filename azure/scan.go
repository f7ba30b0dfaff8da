package azure

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects, as encoding/json does,
// so that hostile input cannot exhaust the stack.
const maxDepth = 10000

// syntaxError is malformed JSON at a byte offset of a file.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

// lineCol returns the 1-based line and column of byte offset off in data.
func lineCol(data []byte, off int) (line, col int) {
	line, col = 1, 1
	if off > len(data) {
		off = len(data)
	}
	for _, c := range data[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// scanner reads JSON tokens from data. It never panics on malformed input:
// every method reports a *syntaxError instead.
type scanner struct {
	data  []byte
	pos   int
	depth int
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end of the input.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

func (s *scanner) errAt(off int, msg string) *syntaxError {
	return &syntaxError{off, msg}
}

func (s *scanner) unexpected() *syntaxError {
	if s.pos >= len(s.data) {
		return s.errAt(s.pos, "unexpected end of JSON input (the file is truncated)")
	}
	c := s.data[s.pos]
	if c >= 0x20 && c < 0x7f {
		return s.errAt(s.pos, "invalid character "+strconv.QuoteRune(rune(c)))
	}
	return s.errAt(s.pos, "invalid byte "+strconv.Quote(string(c)))
}

// expect consumes byte c after optional spaces.
func (s *scanner) expect(c byte) *syntaxError {
	if s.peek() != c {
		return s.unexpected()
	}
	s.pos++
	return nil
}

// kindName names the JSON kind that starts with byte c, for messages.
func kindName(c byte) string {
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

// skip consumes one value of any kind.
func (s *scanner) skip() *syntaxError {
	switch s.peek() {
	case '{':
		return s.skipObject()
	case '[':
		return s.skipArray()
	case '"':
		_, _, err := s.rawString()
		return err
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	default:
		_, err := s.number()
		return err
	}
}

func (s *scanner) enter() *syntaxError {
	s.depth++
	if s.depth > maxDepth {
		return s.errAt(s.pos, "JSON nested too deeply")
	}
	return nil
}

func (s *scanner) skipObject() *syntaxError {
	if err := s.enter(); err != nil {
		return err
	}
	s.pos++ // '{'
	if s.peek() == '}' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.unexpected()
		}
		if _, _, err := s.rawString(); err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := s.skip(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			s.depth--
			return nil
		default:
			return s.unexpected()
		}
	}
}

func (s *scanner) skipArray() *syntaxError {
	if err := s.enter(); err != nil {
		return err
	}
	s.pos++ // '['
	if s.peek() == ']' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		if err := s.skip(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			s.depth--
			return nil
		default:
			return s.unexpected()
		}
	}
}

func (s *scanner) literal(lit string) *syntaxError {
	if len(s.data)-s.pos < len(lit) || string(s.data[s.pos:s.pos+len(lit)]) != lit {
		// Point at the first byte that differs.
		for i := 0; i < len(lit); i++ {
			if s.pos+i >= len(s.data) || s.data[s.pos+i] != lit[i] {
				s.pos += i
				return s.unexpected()
			}
		}
	}
	s.pos += len(lit)
	return nil
}

// rawString consumes a string and returns its bytes between the quotes,
// still escaped, and whether it holds escapes. The slice aliases the input.
func (s *scanner) rawString() (raw []byte, escaped bool, err *syntaxError) {
	s.pos++ // '"'
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			raw = s.data[start:s.pos]
			s.pos++
			return raw, escaped, nil
		case c == '\\':
			escaped = true
			s.pos++
			if s.pos >= len(s.data) {
				return nil, false, s.unexpected()
			}
			switch s.data[s.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos++
			case 'u':
				s.pos++
				for range 4 {
					if s.pos >= len(s.data) || !isHex(s.data[s.pos]) {
						return nil, false, s.unexpected()
					}
					s.pos++
				}
			default:
				return nil, false, s.errAt(s.pos, "invalid escape "+strconv.Quote("\\"+string(s.data[s.pos])))
			}
		case c < 0x20:
			return nil, false, s.errAt(s.pos, "control character in string")
		default:
			s.pos++
		}
	}
	return nil, false, s.unexpected()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// unescape decodes the escapes of a raw string that rawString accepted.
func unescape(raw []byte) string {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := rune(hex4(raw[i+1 : i+5]))
			i += 4
			if utf16.IsSurrogate(r) && i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				r2 := rune(hex4(raw[i+3 : i+7]))
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r = d
					i += 6
				}
			}
			out = utf8.AppendRune(out, r)
		default: // '"', '\\', '/'
			out = append(out, raw[i])
		}
	}
	return string(out)
}

func hex4(b []byte) int {
	n := 0
	for _, c := range b {
		n <<= 4
		switch {
		case c >= '0' && c <= '9':
			n |= int(c - '0')
		case c >= 'a' && c <= 'f':
			n |= int(c-'a') + 10
		default:
			n |= int(c-'A') + 10
		}
	}
	return n
}

// str consumes a string and returns it unescaped.
func (s *scanner) str() (string, *syntaxError) {
	raw, esc, err := s.rawString()
	if err != nil {
		return "", err
	}
	if esc {
		return unescape(raw), nil
	}
	return string(raw), nil
}

// number consumes a JSON number and returns its text.
func (s *scanner) number() ([]byte, *syntaxError) {
	start := s.pos
	if s.pos < len(s.data) && s.data[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(s.data) && s.data[s.pos] == '0':
		s.pos++
	case s.pos < len(s.data) && s.data[s.pos] >= '1' && s.data[s.pos] <= '9':
		s.digits()
	default:
		return nil, s.unexpected()
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if s.digits() == 0 {
			return nil, s.unexpected()
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if s.digits() == 0 {
			return nil, s.unexpected()
		}
	}
	return s.data[start:s.pos], nil
}

func (s *scanner) digits() int {
	n := 0
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
		n++
	}
	return n
}

// objectKeys calls fn for each key of the object at the scanner's position,
// with the scanner placed on the key's value; fn must consume the value.
func (s *scanner) objectKeys(fn func(key []byte, escaped bool) *syntaxError) *syntaxError {
	if err := s.enter(); err != nil {
		return err
	}
	s.pos++ // '{'
	if s.peek() == '}' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.unexpected()
		}
		key, esc, err := s.rawString()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		s.ws()
		if err := fn(key, esc); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			s.depth--
			return nil
		default:
			return s.unexpected()
		}
	}
}
