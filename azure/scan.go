package azure

import (
	"strconv"

	"github.com/vnetpath/vnetpath/internal/jsonscan"
)

// maxDepth bounds the nesting of arrays and objects, as encoding/json does,
// so that hostile input cannot exhaust the stack.
const maxDepth = 10000

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

// position renders byte offset off of data as "line 2, column 48".
func position(data []byte, off int) string {
	line, col := lineCol(data, off)
	return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
}

// syntaxMsg words a syntax error for a finding, which names the position
// too. An unexpected byte is named without what the grammar wants there
// ("invalid character 'N'"): the position points at it.
func syntaxMsg(err *jsonscan.Error) string {
	switch err.Kind {
	case jsonscan.End:
		return "unexpected end of JSON input (the file is truncated)"
	case jsonscan.Unexpected:
		if c := err.Found; c >= 0x20 && c < 0x7f {
			return "invalid character " + strconv.QuoteRune(rune(c))
		}
		return "invalid byte " + strconv.Quote(string(rune(err.Found)))
	}
	return err.Error()
}

// scanner reads JSON tokens from data at pos with the lexer of
// internal/jsonscan; depth counts the arrays and objects it is inside. It
// never panics on malformed input: every method reports a *jsonscan.Error
// instead, with an offset into data.
type scanner struct {
	data  []byte
	pos   int
	depth int
}

func (s *scanner) ws() { s.pos = jsonscan.Space(s.data, s.pos) }

// peek returns the next non-space byte, or 0 at the end of the input.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// skip consumes one value of any kind.
func (s *scanner) skip() *jsonscan.Error {
	end, err := jsonscan.Skip(s.data, s.pos, maxDepth-s.depth)
	if err != nil {
		return err
	}
	s.pos = end
	return nil
}

// literal consumes the literal (true, false or null) at pos.
func (s *scanner) literal() *jsonscan.Error {
	end, err := jsonscan.Literal(s.data, s.pos)
	if err != nil {
		return err
	}
	s.pos = end
	return nil
}

// rawString consumes the string at pos and returns its bytes between the
// quotes, still escaped, and whether it holds escapes. The slice aliases
// the input.
func (s *scanner) rawString() (raw []byte, escaped bool, err *jsonscan.Error) {
	end, escaped, err := jsonscan.String(s.data, s.pos)
	if err != nil {
		return nil, false, err
	}
	raw = s.data[s.pos+1 : end-1]
	s.pos = end
	return raw, escaped, nil
}

// str consumes the string at pos and returns it unescaped.
func (s *scanner) str() (string, *jsonscan.Error) {
	raw, esc, err := s.rawString()
	if err != nil {
		return "", err
	}
	if esc {
		return unescape(raw), nil
	}
	return string(raw), nil
}

// unescape decodes the escapes of a raw string that rawString accepted.
func unescape(raw []byte) string {
	return string(jsonscan.Unescape(make([]byte, 0, len(raw)), raw))
}

// number consumes the number at pos and returns its text.
func (s *scanner) number() ([]byte, *jsonscan.Error) {
	start := s.pos
	end, err := jsonscan.Number(s.data, s.pos)
	if err != nil {
		return nil, err
	}
	s.pos = end
	return s.data[start:end], nil
}

// objectKeys calls fn for each key of the object at pos, with the scanner
// placed on the key's value; fn must consume the value.
func (s *scanner) objectKeys(fn func(key []byte, escaped bool) *jsonscan.Error) *jsonscan.Error {
	i, done, err := jsonscan.ObjectOpen(s.data, s.pos, maxDepth-s.depth)
	if err != nil {
		return err
	}
	s.depth++
	for !done {
		key, esc, value, err := jsonscan.Key(s.data, i)
		if err != nil {
			return err
		}
		s.pos = value
		if err := fn(key, esc); err != nil {
			return err
		}
		if i, done, err = jsonscan.ObjectNext(s.data, s.pos); err != nil {
			return err
		}
	}
	s.pos = i
	s.depth--
	return nil
}

// elements calls fn for each element of the array at pos, with the
// scanner placed on the element; fn must consume it.
func (s *scanner) elements(fn func(i int) *jsonscan.Error) *jsonscan.Error {
	i, done, err := jsonscan.ArrayOpen(s.data, s.pos, maxDepth-s.depth)
	if err != nil {
		return err
	}
	s.depth++
	for n := 0; !done; n++ {
		s.pos = i
		if err := fn(n); err != nil {
			return err
		}
		if i, done, err = jsonscan.ArrayNext(s.data, s.pos); err != nil {
			return err
		}
	}
	s.pos = i
	s.depth--
	return nil
}
