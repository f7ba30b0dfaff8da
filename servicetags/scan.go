package servicetags

import (
	"errors"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner is a streaming JSON tokenizer over an io.Reader. It holds one
// window of the input (growing it only for a token longer than the window),
// so a service-tag file is never held in memory as a whole. Byte slices it
// returns point into the window or into a scratch buffer and stay valid only
// until the next call.
//
// It accepts exactly the JSON grammar (RFC 8259) except that it does not
// check UTF-8: strings are passed through byte for byte, as the caller only
// compares and copies them.
type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int   // unread bytes are buf[pos:end]
	base     int64 // stream offset of buf[0]
	eof      bool
	err      error  // sticky read error other than io.EOF
	scratch  []byte // decoded strings that held escapes
	key      []byte // the current object key, lower-cased
}

const (
	scanWindow = 64 << 10
	maxDepth   = 256
)

// errTruncated is the syntax error for input that ends inside a value.
var errTruncated = errors.New("unexpected end of input (truncated JSON?)")

// syntaxError is a JSON syntax problem at a byte offset.
type syntaxError struct {
	msg string
	off int64
}

func (e *syntaxError) Error() string { return e.msg }

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, scanWindow)}
}

// offset returns the stream offset of the next unread byte.
func (s *scanner) offset() int64 { return s.base + int64(s.pos) }

func (s *scanner) syntax(msg string) error {
	return &syntaxError{msg: msg, off: s.offset()}
}

// endErr is the error for input that ended where more was needed.
func (s *scanner) endErr() error {
	if s.err != nil {
		return s.err
	}
	return &syntaxError{msg: errTruncated.Error(), off: s.base + int64(s.end)}
}

// more reads more input after buf[pos:end], moving the unread bytes to the
// front of the window first (so indexes into buf are invalidated). It
// reports whether any byte was added.
func (s *scanner) more() bool {
	if s.eof || s.err != nil {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range 100 {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			if err == io.EOF {
				s.eof = true
			} else {
				s.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// ensure makes n bytes from index *i available, adjusting *i when the
// window moves. It reports whether the input has that many bytes.
func (s *scanner) ensure(i *int, n int) bool {
	for *i+n > s.end {
		k := *i - s.pos
		ok := s.more()
		*i = s.pos + k
		if !ok {
			return false
		}
	}
	return true
}

// peek skips white space and returns the next byte without consuming it.
func (s *scanner) peek() (byte, error) {
	for {
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case ' ', '\n', '\r', '\t':
				s.pos++
			default:
				return c, nil
			}
		}
		if !s.more() {
			return 0, s.endErr()
		}
	}
}

// atEnd reports whether only white space remains.
func (s *scanner) atEnd() (bool, error) {
	_, err := s.peek()
	if err == nil {
		return false, nil
	}
	if s.err != nil {
		return false, s.err
	}
	return true, nil
}

// str reads the JSON string at the current position (peek returned '"')
// and returns its decoded bytes.
func (s *scanner) str() ([]byte, error) {
	i := s.pos + 1
	for {
		for i < s.end {
			c := s.buf[i]
			switch {
			case c == '"':
				b := s.buf[s.pos+1 : i]
				s.pos = i + 1
				return b, nil
			case c == '\\':
				return s.strEscaped(i)
			case c < 0x20:
				s.pos = i
				return nil, s.syntax("control character in string")
			}
			i++
		}
		if !s.ensure(&i, 1) {
			return nil, s.endErr()
		}
	}
}

// strEscaped finishes a string whose first escape is at buf[i], decoding it
// into the scratch buffer as encoding/json does (a lone surrogate becomes
// U+FFFD).
func (s *scanner) strEscaped(i int) ([]byte, error) {
	out := append(s.scratch[:0], s.buf[s.pos+1:i]...)
	defer func() { s.scratch = out[:0] }()
	for {
		if !s.ensure(&i, 1) {
			return nil, s.endErr()
		}
		c := s.buf[i]
		switch {
		case c == '"':
			s.pos = i + 1
			return out, nil
		case c < 0x20:
			s.pos = i
			return nil, s.syntax("control character in string")
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if !s.ensure(&i, 2) {
			return nil, s.endErr()
		}
		switch e := s.buf[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
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
			if !s.ensure(&i, 6) {
				return nil, s.endErr()
			}
			r, ok := hex4(s.buf[i+2 : i+6])
			if !ok {
				s.pos = i
				return nil, s.syntax(`invalid \u escape in string`)
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if s.ensure(&i, 6) && s.buf[i] == '\\' && s.buf[i+1] == 'u' {
					if lo, ok := hex4(s.buf[i+2 : i+6]); ok {
						if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
							r2 = d
							i += 6
						}
					}
				}
				r = r2
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			s.pos = i
			return nil, s.syntax("invalid escape in string")
		}
		i += 2
	}
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// scalar reads a number or a literal (true, false, null) and returns its
// bytes, checked against the JSON grammar.
func (s *scanner) scalar() ([]byte, error) {
	i := s.pos
	for {
		for i < s.end {
			switch s.buf[i] {
			case ' ', '\n', '\r', '\t', ',', ':', '[', ']', '{', '}', '"':
				b := s.buf[s.pos:i]
				return b, s.checkScalar(b, i)
			}
			i++
		}
		if !s.ensure(&i, 1) {
			if s.err != nil {
				return nil, s.err
			}
			b := s.buf[s.pos:i]
			return b, s.checkScalar(b, i)
		}
	}
}

func (s *scanner) checkScalar(b []byte, next int) error {
	switch {
	case len(b) == 0:
		return s.syntax("expected a value")
	case string(b) == "true", string(b) == "false", string(b) == "null", validNumber(b):
		s.pos = next
		return nil
	}
	return s.syntax("invalid value " + quoteBytes(b))
}

// validNumber reports whether b is a JSON number.
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i == len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i == len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	return i == len(b)
}

// object reads a JSON object (peek returned '{'), calling fn for each
// member with the key lower-cased; fn must read exactly one value. The key
// slice is valid until fn reads.
func (s *scanner) object(depth int, fn func(key []byte) error) error {
	if depth > maxDepth {
		return s.syntax("nesting too deep")
	}
	s.pos++ // '{'
	c, err := s.peek()
	if err != nil {
		return err
	}
	if c == '}' {
		s.pos++
		return nil
	}
	for {
		if c != '"' {
			return s.syntax("expected a string object key")
		}
		k, err := s.str()
		if err != nil {
			return err
		}
		s.key = append(s.key[:0], k...)
		for j, b := range s.key {
			if 'A' <= b && b <= 'Z' {
				s.key[j] = b + 'a' - 'A'
			}
		}
		if c, err = s.peek(); err != nil {
			return err
		}
		if c != ':' {
			return s.syntax("expected ':' after object key")
		}
		s.pos++
		if err := fn(s.key); err != nil {
			return err
		}
		if c, err = s.peek(); err != nil {
			return err
		}
		switch c {
		case ',':
			s.pos++
			if c, err = s.peek(); err != nil {
				return err
			}
		case '}':
			s.pos++
			return nil
		default:
			return s.syntax("expected ',' or '}' in object")
		}
	}
}

// array reads a JSON array (peek returned '['), calling fn for each
// element; fn must read exactly one value.
func (s *scanner) array(depth int, fn func(i int) error) error {
	if depth > maxDepth {
		return s.syntax("nesting too deep")
	}
	s.pos++ // '['
	c, err := s.peek()
	if err != nil {
		return err
	}
	if c == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		if err := fn(i); err != nil {
			return err
		}
		if c, err = s.peek(); err != nil {
			return err
		}
		switch c {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.syntax("expected ',' or ']' in array")
		}
	}
}

// skip reads and discards one value.
func (s *scanner) skip(depth int) error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	switch c {
	case '{':
		return s.object(depth+1, func([]byte) error { return s.skip(depth + 1) })
	case '[':
		return s.array(depth+1, func(int) error { return s.skip(depth + 1) })
	case '"':
		_, err := s.str()
		return err
	}
	_, err = s.scalar()
	return err
}

// kind names the JSON type of a value from its first byte.
func kind(c byte) string {
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
	}
	return "a number"
}

func quoteBytes(b []byte) string {
	if len(b) > 40 {
		b = append(b[:40:40], "..."...)
	}
	return quote(string(b))
}
