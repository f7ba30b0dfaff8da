package armtemplate

import (
	"fmt"
	"strconv"
	"strings"
)

// The expression language of ARM templates: a JSON string that starts with
// "[" and ends with "]" is an expression; "[[" at the start escapes a
// literal "[". Inside, an expression is
//
//	expr    = primary { "." name | "[" expr "]" }
//	primary = string | integer | name "(" [ expr { "," expr } ] ")" | "(" expr ")"
//	string  = "'" { char | "''" } "'"
//
// Function and property names are case-insensitive.

// node is a parsed expression.
type node interface{ pos() int }

type litNode struct {
	at int
	v  any // string or int64
}

type callNode struct {
	at   int
	name string // as written
	args []node
}

type propNode struct {
	at   int
	x    node
	name string
}

type indexNode struct {
	at    int
	x     node
	index node
}

func (n *litNode) pos() int   { return n.at }
func (n *callNode) pos() int  { return n.at }
func (n *propNode) pos() int  { return n.at }
func (n *indexNode) pos() int { return n.at }

// isExpression reports whether a JSON string is a template expression, and
// returns the literal string it stands for when it is not ("[[x]" is the
// literal "[x]").
func isExpression(s string) (bool, string) {
	if len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' {
		if s[1] == '[' {
			return false, s[1:]
		}
		return true, ""
	}
	return false, s
}

// SyntaxError is a malformed expression: Expr is the whole JSON string,
// Offset the byte offset in it where parsing failed.
type SyntaxError struct {
	Expr   string
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("syntax error in %s at offset %d: %s", strconv.Quote(e.Expr), e.Offset, e.Msg)
}

type tokKind int

const (
	tEOF tokKind = iota
	tName
	tString
	tInt
	tPunct // one of ( ) , . [ ]
)

type token struct {
	kind tokKind
	at   int // offset in the JSON string
	text string
	str  string // the value of a string literal
	num  int64
}

type parser struct {
	src  string // the whole JSON string, for errors
	base int    // offset of the expression text in src
	text string
	i    int
	tok  token
	err  *SyntaxError
}

// parseExpression parses the JSON string s, which isExpression accepted.
func parseExpression(s string) (node, error) {
	p := &parser{src: s, base: 1, text: s[1 : len(s)-1]}
	p.next()
	n := p.expr(0)
	if p.err == nil && p.tok.kind != tEOF {
		p.fail(p.tok.at, "unexpected "+p.describe(p.tok)+" after the expression")
	}
	if p.err != nil {
		return nil, p.err
	}
	return n, nil
}

func (p *parser) fail(at int, msg string) {
	if p.err == nil {
		p.err = &SyntaxError{Expr: p.src, Offset: at, Msg: msg}
	}
}

func (p *parser) describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of expression"
	case tString:
		return "string " + strconv.Quote(t.str)
	case tInt:
		return "number " + t.text
	case tName:
		return "name " + strconv.Quote(t.text)
	}
	return strconv.Quote(t.text)
}

// next reads the next token into p.tok.
func (p *parser) next() {
	for p.i < len(p.text) && (p.text[p.i] == ' ' || p.text[p.i] == '\t' || p.text[p.i] == '\n' || p.text[p.i] == '\r') {
		p.i++
	}
	at := p.base + p.i
	if p.i >= len(p.text) {
		p.tok = token{kind: tEOF, at: at}
		return
	}
	c := p.text[p.i]
	switch {
	case strings.IndexByte("(),.[]", c) >= 0:
		p.tok = token{kind: tPunct, at: at, text: string(c)}
		p.i++
	case c == '\'':
		var b strings.Builder
		j := p.i + 1
		for {
			if j >= len(p.text) {
				p.fail(at, "string literal is not closed")
				p.tok = token{kind: tEOF, at: p.base + j}
				p.i = j
				return
			}
			if p.text[j] == '\'' {
				if j+1 < len(p.text) && p.text[j+1] == '\'' {
					b.WriteByte('\'')
					j += 2
					continue
				}
				break
			}
			b.WriteByte(p.text[j])
			j++
		}
		p.tok = token{kind: tString, at: at, text: p.text[p.i : j+1], str: b.String()}
		p.i = j + 1
	case c == '-' || c >= '0' && c <= '9':
		j := p.i + 1
		for j < len(p.text) && p.text[j] >= '0' && p.text[j] <= '9' {
			j++
		}
		text := p.text[p.i:j]
		if j < len(p.text) && p.text[j] == '.' && j+1 < len(p.text) && p.text[j+1] >= '0' && p.text[j+1] <= '9' {
			p.fail(at, "decimal numbers are not part of the template language")
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			p.fail(at, "bad number "+strconv.Quote(text))
		}
		p.tok = token{kind: tInt, at: at, text: text, num: n}
		p.i = j
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		j := p.i + 1
		for j < len(p.text) && (p.text[j] == '_' || p.text[j] >= 'a' && p.text[j] <= 'z' || p.text[j] >= 'A' && p.text[j] <= 'Z' || p.text[j] >= '0' && p.text[j] <= '9') {
			j++
		}
		p.tok = token{kind: tName, at: at, text: p.text[p.i:j]}
		p.i = j
	default:
		p.fail(at, "unexpected character "+strconv.QuoteRune(rune(c)))
		p.tok = token{kind: tEOF, at: at}
		p.i = len(p.text)
	}
}

func (p *parser) is(punct string) bool { return p.tok.kind == tPunct && p.tok.text == punct }

func (p *parser) expect(punct string) {
	if !p.is(punct) {
		p.fail(p.tok.at, "expected "+strconv.Quote(punct)+", found "+p.describe(p.tok))
		return
	}
	p.next()
}

// maxDepth bounds nesting, so that hostile input cannot exhaust the stack.
const maxDepth = 200

func (p *parser) expr(depth int) node {
	if depth > maxDepth {
		p.fail(p.tok.at, "expression nested too deeply")
		return nil
	}
	n := p.primary(depth)
	for p.err == nil {
		switch {
		case p.is("."):
			at := p.tok.at
			p.next()
			if p.tok.kind != tName {
				p.fail(p.tok.at, "expected a property name after \".\", found "+p.describe(p.tok))
				return nil
			}
			n = &propNode{at: at, x: n, name: p.tok.text}
			p.next()
		case p.is("["):
			at := p.tok.at
			p.next()
			ix := p.expr(depth + 1)
			p.expect("]")
			n = &indexNode{at: at, x: n, index: ix}
		default:
			return n
		}
	}
	return n
}

func (p *parser) primary(depth int) node {
	t := p.tok
	switch t.kind {
	case tString:
		p.next()
		return &litNode{at: t.at, v: t.str}
	case tInt:
		p.next()
		return &litNode{at: t.at, v: t.num}
	case tName:
		p.next()
		name := t.text
		// A user-defined function is called as namespace.name(...).
		if p.is(".") && p.i < len(p.text) {
			save, saveTok := p.i, p.tok
			p.next()
			if p.tok.kind == tName {
				member := p.tok.text
				p.next()
				if p.is("(") {
					name += "." + member
				} else {
					p.i, p.tok = save, saveTok
				}
			} else {
				p.i, p.tok = save, saveTok
			}
		}
		if !p.is("(") {
			p.fail(p.tok.at, "expected \"(\" after function name "+strconv.Quote(name)+", found "+p.describe(p.tok))
			return nil
		}
		p.next()
		call := &callNode{at: t.at, name: name}
		if p.is(")") {
			p.next()
			return call
		}
		for p.err == nil {
			call.args = append(call.args, p.expr(depth+1))
			if p.is(",") {
				p.next()
				continue
			}
			p.expect(")")
			break
		}
		return call
	case tPunct:
		if t.text == "(" {
			p.next()
			n := p.expr(depth + 1)
			p.expect(")")
			return n
		}
	}
	p.fail(t.at, "expected a value, found "+p.describe(t))
	return nil
}

// render renders a parsed expression back in the template language; used
// in messages and checked to round-trip.
func render(n node) string {
	switch n := n.(type) {
	case *litNode:
		if s, ok := n.v.(string); ok {
			return "'" + strings.ReplaceAll(s, "'", "''") + "'"
		}
		return strconv.FormatInt(n.v.(int64), 10)
	case *callNode:
		args := make([]string, len(n.args))
		for i, a := range n.args {
			args[i] = render(a)
		}
		return n.name + "(" + strings.Join(args, ", ") + ")"
	case *propNode:
		return render(n.x) + "." + n.name
	case *indexNode:
		return render(n.x) + "[" + render(n.index) + "]"
	}
	return ""
}
