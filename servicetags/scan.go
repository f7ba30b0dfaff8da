package servicetags

import (
	"errors"
	"io"

	"github.com/vnetpath/vnetpath/internal/jsonscan"
)

// scanner is a streaming JSON tokenizer over an io.Reader. It holds one
// window of the input (growing it only for a token longer than the window),
// so a service-tag file is never held in memory as a whole, and lexes the
// window with internal/jsonscan. Byte slices it
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
// front of the window first (so indexes into buf are invalidated) and
// doubling the window when it is full. It fills the window, so that a token
// scanned again after more input (see again) is scanned again only after
// its window has doubled. It reports whether any byte was added.
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
	added, idle := false, 0
	for s.end < len(s.buf) {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if n > 0 {
			added, idle = true, 0
		}
		if err != nil {
			if err == io.EOF {
				s.eof = true
			} else {
				s.err = err
			}
			return added
		}
		if n == 0 {
			if idle++; idle == 100 {
				s.err = io.ErrNoProgress
				return added
			}
		}
	}
	return added
}

// again reports whether a scan of the window buf[:end] from pos must run
// again, from pos, over more input: the scan failed for want of input, or
// succeeded up to the window's end, where a number may go on. It reads
// that input, which moves the window: only pos stays valid.
func (s *scanner) again(next int, err *jsonscan.Error) bool {
	if err != nil {
		return err.Kind == jsonscan.End && s.more()
	}
	return next == s.end && s.more()
}

// fail turns an error of a scan of the window into the scanner's error,
// with its stream offset.
func (s *scanner) fail(err *jsonscan.Error) error {
	msg := err.Error()
	switch err.Kind {
	case jsonscan.End:
		return s.endErr()
	case jsonscan.TooDeep:
		msg = "nesting too deep"
	}
	return &syntaxError{msg: msg, off: s.base + int64(err.Off)}
}

// peek skips white space and returns the next byte without consuming it.
func (s *scanner) peek() (byte, error) {
	for {
		s.pos = jsonscan.Space(s.buf[:s.end], s.pos)
		if s.pos < s.end {
			return s.buf[s.pos], nil
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
	for {
		end, esc, err := jsonscan.String(s.buf[:s.end], s.pos)
		if s.again(end, err) {
			continue
		}
		if err != nil {
			return nil, s.fail(err)
		}
		b := s.buf[s.pos+1 : end-1]
		s.pos = end
		if esc {
			s.scratch = jsonscan.Unescape(s.scratch[:0], b)
			return s.scratch, nil
		}
		return b, nil
	}
}

// scalar reads a number or a literal (true, false, null) at the current
// position (peek returned its first byte) and returns its bytes.
func (s *scanner) scalar() ([]byte, error) {
	for {
		var end int
		var err *jsonscan.Error
		if s.pos < s.end && (s.buf[s.pos] == 't' || s.buf[s.pos] == 'f' || s.buf[s.pos] == 'n') {
			end, err = jsonscan.Literal(s.buf[:s.end], s.pos)
		} else {
			end, err = jsonscan.Number(s.buf[:s.end], s.pos)
		}
		if s.again(end, err) {
			continue
		}
		if err != nil {
			return nil, s.fail(err)
		}
		b := s.buf[s.pos:end]
		s.pos = end
		return b, nil
	}
}

// object reads a JSON object (peek returned '{') at nesting depth depth,
// calling fn for each member with the key lower-cased; fn must read exactly
// one value. The key slice is valid until fn reads.
func (s *scanner) object(depth int, fn func(key []byte) error) error {
	var (
		next int
		done bool
		err  *jsonscan.Error
	)
	for {
		next, done, err = jsonscan.ObjectOpen(s.buf[:s.end], s.pos, maxDepth-depth+1)
		if !s.again(next, err) {
			break
		}
	}
	for {
		if err != nil {
			return s.fail(err)
		}
		s.pos = next
		if done {
			return nil
		}
		var (
			key []byte
			esc bool
		)
		for {
			key, esc, next, err = jsonscan.Key(s.buf[:s.end], s.pos)
			if !s.again(next, err) {
				break
			}
		}
		if err != nil {
			return s.fail(err)
		}
		if esc {
			s.key = jsonscan.Unescape(s.key[:0], key)
		} else {
			s.key = append(s.key[:0], key...)
		}
		for j, b := range s.key {
			if 'A' <= b && b <= 'Z' {
				s.key[j] = b + 'a' - 'A'
			}
		}
		s.pos = next
		if err := fn(s.key); err != nil {
			return err
		}
		for {
			next, done, err = jsonscan.ObjectNext(s.buf[:s.end], s.pos)
			if !s.again(next, err) {
				break
			}
		}
	}
}

// array reads a JSON array (peek returned '[') at nesting depth depth,
// calling fn for each element; fn must read exactly one value.
func (s *scanner) array(depth int, fn func(i int) error) error {
	var (
		next int
		done bool
		err  *jsonscan.Error
	)
	for {
		next, done, err = jsonscan.ArrayOpen(s.buf[:s.end], s.pos, maxDepth-depth+1)
		if !s.again(next, err) {
			break
		}
	}
	for i := 0; ; i++ {
		if err != nil {
			return s.fail(err)
		}
		s.pos = next
		if done {
			return nil
		}
		if err := fn(i); err != nil {
			return err
		}
		for {
			next, done, err = jsonscan.ArrayNext(s.buf[:s.end], s.pos)
			if !s.again(next, err) {
				break
			}
		}
	}
}

// skip reads and discards one value inside depth levels of nesting. Arrays
// and objects are read member by member, so that a value longer than the
// window streams through it.
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
	}
	for { // a string, number or literal, or a byte that starts no value
		end, err := jsonscan.Skip(s.buf[:s.end], s.pos, 0)
		if s.again(end, err) {
			continue
		}
		if err != nil {
			return s.fail(err)
		}
		s.pos = end
		return nil
	}
}
