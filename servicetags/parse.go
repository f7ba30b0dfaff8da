package servicetags

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/internal/jsonscan"
)

// Options tune [Parse] and [ParseFile]. The zero value is strict parsing.
type Options struct {
	// Lenient turns problems in the input into warnings (see
	// [Catalog.Warnings]) and keeps what is sound: a prefix that does not
	// parse is dropped from its tag; a tag without a name, with a
	// malformed address list or whose name repeats another is dropped; a
	// field of the wrong type is ignored; input that ends early (truncated
	// JSON) keeps the tags read completely before the end.
	Lenient bool
}

// ParseError reports service-tag JSON that is malformed or does not match
// the catalog's shape. It names the file (for [ParseFile]), the entry of
// "values" and its tag name when known, and the JSON field; errors.Unwrap gives
// Err.
type ParseError struct {
	File   string // the file read by ParseFile; "" for Parse
	Offset int64  // byte offset in the input where the problem was found
	Index  int    // index of the entry in "values"; -1 outside the entries
	Tag    string // name of the entry, when known
	Field  string // JSON path of the field, e.g. "properties.addressPrefixes[3]"
	Msg    string // what is wrong
	Err    error  // the underlying error (a *cidr.ParseError for a prefix), or nil
}

func (e *ParseError) Error() string {
	var sb strings.Builder
	if e.File != "" {
		sb.WriteString(e.File + ": ")
	} else {
		sb.WriteString("service tags: ")
	}
	if e.Index >= 0 {
		sb.WriteString("values[" + strconv.Itoa(e.Index) + "]")
		if e.Tag != "" {
			sb.WriteString(" " + quote(e.Tag))
		}
		sb.WriteString(": ")
	}
	if e.Field != "" {
		sb.WriteString(e.Field + ": ")
	}
	sb.WriteString(e.Msg)
	if e.Err != nil {
		if e.Msg != "" {
			sb.WriteString(": ")
		}
		sb.WriteString(e.Err.Error())
	}
	sb.WriteString(" (at byte " + strconv.FormatInt(e.Offset, 10) + ")")
	return sb.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// Parse reads a service-tag catalog from r, in any of the shapes Azure
// publishes (reference §4.1, §4.2):
//
//   - the weekly download, ServiceTags_Public_YYYYMMDD.json and the
//     Government and China files: {"changeNumber", "cloud", "values"};
//   - the Service Tag Discovery API body (az network list-service-tags),
//     where change numbers may be strings: {"name", "id", "changeNumber",
//     "cloud", "values", "nextLink"};
//   - an API example file wrapping that body as
//     {"parameters": ..., "responses": {"200": {"body": ...}}}.
//
// The input is streamed: prefixes are parsed as they are read and no copy
// of the text is kept. Object keys match case-insensitively, as
// encoding/json matches them; unknown fields are ignored.
//
// Problems are *[ParseError] values naming the entry, the tag and the
// field; with [Options.Lenient] they become warnings instead (see
// [Options]). Input that is not a JSON object or has no "values" array is
// an error either way. A network feature Parse does not know is skipped
// with a warning, never an error.
func Parse(r io.Reader, opts Options) (*Catalog, error) {
	return parse(r, opts, "")
}

// ParseFile reads the catalog in the named file as [Parse] does; errors and
// warnings name the file.
func ParseFile(path string, opts Options) (*Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("service-tag file: %w", err)
	}
	defer f.Close()
	return parse(f, opts, path)
}

func parse(r io.Reader, opts Options, file string) (*Catalog, error) {
	p := &parser{
		s:       newScanner(r),
		lenient: opts.Lenient,
		file:    file,
		index:   -1,
		names:   map[string]int{},
		intern:  map[string]string{},
	}
	err := p.document()
	if err == nil {
		if end, rerr := p.s.atEnd(); rerr != nil {
			err = p.fatal(rerr)
		} else if !end {
			err = p.fatal(p.s.syntax("more data after the top-level object"))
		}
	}
	if err == nil && !p.sawValues {
		err = p.errorf(-1, "values", "missing: no service tags in the input")
	}
	if err != nil {
		if !p.lenient || !p.sawValues {
			return nil, err
		}
		p.warn(err)
	}
	return p.build(), nil
}

// parser turns the token stream into tag records.
type parser struct {
	s         *scanner
	lenient   bool
	file      string
	cloud     string
	change    int64
	sawValues bool

	recs     []tagRec
	pfx      []netip.Prefix // the prefixes of the entry being read
	names    map[string]int // lower-cased name → index in recs
	intern   map[string]string
	warnings []string

	// the entry being read
	index    int
	tag      string
	field    string
	problems []*ParseError
	drop     bool  // the entry is dropped
	at       int64 // offset of the value being read
}

func (p *parser) errorf(index int, field, format string, args ...any) *ParseError {
	return &ParseError{File: p.file, Offset: p.at, Index: index, Tag: p.tag, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// fatal wraps an error that stops reading (syntax, I/O) with the context.
func (p *parser) fatal(err error) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		return err
	}
	e := &ParseError{File: p.file, Offset: p.s.offset(), Index: p.index, Tag: p.tag, Field: p.field}
	var se *syntaxError
	if errors.As(err, &se) {
		e.Offset, e.Msg = se.off, se.msg
	} else {
		e.Msg, e.Err = "reading", err
	}
	return e
}

// peek returns the next byte as the scanner's peek does, and remembers
// where the value it starts is, for problems found in it.
func (p *parser) peek() (byte, error) {
	c, err := p.s.peek()
	p.at = p.s.offset()
	return c, err
}

func (p *parser) warn(err error) { p.warnings = append(p.warnings, err.Error()) }

// problem records a problem of the current entry (or of the document when
// outside the entries); drop marks the entry as unusable.
func (p *parser) problem(field, msg string, err error, drop bool) {
	p.problems = append(p.problems, &ParseError{File: p.file, Offset: p.at, Index: p.index, Field: field, Msg: msg, Err: err})
	if drop {
		p.drop = true
	}
}

// flush turns the pending problems into an error (strict) or warnings.
func (p *parser) flush() error {
	if len(p.problems) == 0 {
		return nil
	}
	for _, e := range p.problems {
		e.Tag = p.tag
	}
	if !p.lenient {
		return p.problems[0]
	}
	for _, e := range p.problems {
		p.warn(e)
	}
	p.problems = p.problems[:0]
	return nil
}

func (p *parser) document() error {
	c, err := p.peek()
	if err != nil {
		if p.s.err == nil {
			return p.errorf(-1, "", "empty input: not a service-tag catalog")
		}
		return p.fatal(err)
	}
	if c != '{' {
		return p.errorf(-1, "", "the input is %s, not a JSON object", jsonscan.Kind(c))
	}
	return p.catalogObject(1)
}

// catalogObject reads the top-level object (or the API example's body).
func (p *parser) catalogObject(depth int) error {
	err := p.s.object(depth, func(key []byte) error {
		p.field = ""
		switch string(key) {
		case "changenumber":
			p.field = "changeNumber"
			n, ok, err := p.integer()
			if ok {
				p.change = n
			}
			return err
		case "cloud":
			p.field = "cloud"
			v, _, err := p.str()
			if v != "" {
				p.cloud = v
			}
			return err
		case "values":
			p.field = "values"
			return p.values()
		case "responses":
			p.field = "responses"
			return p.member(depth+1, "200", func() error {
				p.field = "responses.200"
				return p.member(depth+2, "body", func() error {
					p.field = "responses.200.body"
					c, err := p.peek()
					if err != nil {
						return err
					}
					if c != '{' {
						p.problem(p.field, "is "+jsonscan.Kind(c)+", want an object", nil, false)
						return p.s.skip(depth + 2)
					}
					return p.catalogObject(depth + 3)
				})
			})
		}
		return p.s.skip(depth)
	})
	if err != nil {
		return p.fatal(err)
	}
	return p.flush()
}

// member reads an object and calls fn for the value of its member named
// key, skipping the others. A value that is not an object is skipped.
func (p *parser) member(depth int, key string, fn func() error) error {
	c, err := p.peek()
	if err != nil {
		return err
	}
	if c != '{' {
		return p.s.skip(depth)
	}
	return p.s.object(depth, func(k []byte) error {
		if string(k) == key {
			return fn()
		}
		return p.s.skip(depth)
	})
}

// str reads a string field; null reads as "". A value of another type is
// a problem (dropping the entry when drop is set) and reads as "".
func (p *parser) str() (string, bool, error) {
	return p.strField(false)
}

func (p *parser) strField(drop bool) (string, bool, error) {
	c, err := p.peek()
	if err != nil {
		return "", false, err
	}
	switch c {
	case '"':
		b, err := p.s.str()
		if err != nil {
			return "", false, err
		}
		if v, ok := p.intern[string(b)]; ok {
			return v, true, nil
		}
		v := string(b)
		p.intern[v] = v
		return v, true, nil
	case 'n':
		_, err := p.s.scalar()
		return "", false, err
	}
	p.problem(p.field, "is "+jsonscan.Kind(c)+", want a string", nil, drop)
	return "", false, p.s.skip(3)
}

// integer reads an integer field, given as a number or, as the Discovery API
// writes change numbers, as a string of digits; null reads as absent.
func (p *parser) integer() (int64, bool, error) {
	c, err := p.peek()
	if err != nil {
		return 0, false, err
	}
	var b []byte
	switch {
	case c == '"':
		b, err = p.s.str()
	case c == '-' || '0' <= c && c <= '9':
		b, err = p.s.scalar()
	case c == 'n':
		_, err := p.s.scalar()
		return 0, false, err
	default:
		p.problem(p.field, "is "+jsonscan.Kind(c)+", want an integer", nil, false)
		return 0, false, p.s.skip(3)
	}
	if err != nil {
		return 0, false, err
	}
	n, ok := atoi(b)
	if !ok {
		p.problem(p.field, quoteBytes(b)+" is not an integer", nil, false)
	}
	return n, ok, nil
}

// atoi parses a decimal int64 with an optional minus sign.
func atoi(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func (p *parser) values() error {
	c, err := p.peek()
	if err != nil {
		return err
	}
	if c != '[' {
		p.problem("values", "is "+jsonscan.Kind(c)+", want an array", nil, false)
		return p.s.skip(1)
	}
	if err := p.flush(); err != nil {
		return err
	}
	p.sawValues = true
	err = p.s.array(2, p.entry)
	p.index, p.tag = -1, ""
	return err
}

// entry reads one element of "values".
func (p *parser) entry(i int) error {
	p.index, p.tag, p.field, p.drop = i, "", "", false
	p.problems = p.problems[:0]
	p.pfx = p.pfx[:0]
	rec := tagRec{}
	var id string
	c, err := p.peek()
	if err != nil {
		return err
	}
	if c != '{' {
		p.problem("", "is "+jsonscan.Kind(c)+", want an object", nil, true)
		err = p.s.skip(2)
	} else {
		err = p.s.object(3, func(key []byte) error {
			switch string(key) {
			case "name":
				p.field = "name"
				v, _, err := p.strField(true)
				rec.Name, p.tag = v, v
				return err
			case "id":
				p.field = "id"
				v, _, err := p.str()
				id = v
				return err
			case "properties":
				p.field = "properties"
				return p.properties(&rec)
			}
			return p.s.skip(3)
		})
	}
	if err != nil {
		return p.fatal(err)
	}
	p.field = ""
	if rec.Name == "" && id != "" && !p.drop {
		rec.Name, p.tag = id, id
	}
	if rec.Name == "" && !p.drop {
		p.problem("name", "missing: the entry has no tag name", nil, true)
	}
	key := lowerASCII(rec.Name)
	if j, dup := p.names[key]; dup && !p.drop {
		p.problem("name", "duplicate tag: the name repeats values["+strconv.Itoa(p.recs[j].index)+"] "+quote(p.recs[j].Name), nil, true)
	}
	if err := p.flush(); err != nil {
		return err
	}
	if p.drop {
		return nil
	}
	if !rec.hasRegion {
		if _, r := Region(rec.Name); r != "" {
			rec.Region = lowerASCII(r)
		}
	}
	rec.index = i
	if len(p.pfx) > 0 {
		rec.Prefixes = slices.Clone(p.pfx)
	}
	p.names[key] = len(p.recs)
	p.recs = append(p.recs, rec)
	return nil
}

func (p *parser) properties(rec *tagRec) error {
	c, err := p.peek()
	if err != nil {
		return err
	}
	if c == 'n' {
		_, err := p.s.scalar()
		return err
	}
	if c != '{' {
		p.problem("properties", "is "+jsonscan.Kind(c)+", want an object", nil, true)
		return p.s.skip(3)
	}
	return p.s.object(4, func(key []byte) error {
		switch string(key) {
		case "changenumber":
			p.field = "properties.changeNumber"
			n, _, err := p.integer()
			rec.ChangeNumber = n
			return err
		case "region":
			p.field = "properties.region"
			v, ok, err := p.str()
			rec.Region, rec.hasRegion = lowerASCII(v), ok
			return err
		case "systemservice":
			p.field = "properties.systemService"
			v, _, err := p.str()
			rec.SystemService = v
			return err
		case "addressprefixes":
			p.field = "properties.addressPrefixes"
			return p.prefixes()
		case "networkfeatures":
			p.field = "properties.networkFeatures"
			return p.features(rec)
		}
		return p.s.skip(4)
	})
}

func (p *parser) prefixes() error {
	c, err := p.peek()
	if err != nil {
		return err
	}
	if c == 'n' {
		_, err := p.s.scalar()
		return err
	}
	if c != '[' {
		p.problem(p.field, "is "+jsonscan.Kind(c)+", want an array of prefixes", nil, true)
		return p.s.skip(4)
	}
	return p.s.array(5, func(i int) error {
		c, err := p.peek()
		if err != nil {
			return err
		}
		if c != '"' {
			p.problem(p.field+"["+strconv.Itoa(i)+"]", "is "+jsonscan.Kind(c)+", want a prefix string", nil, false)
			return p.s.skip(5)
		}
		b, err := p.s.str()
		if err != nil {
			return err
		}
		pfx, ok := parsePrefix4(b)
		if !ok {
			var perr error
			if pfx, perr = cidr.ParsePrefix(string(b)); perr != nil {
				p.problem(p.field+"["+strconv.Itoa(i)+"]", "", perr, false)
				return nil
			}
		}
		p.pfx = append(p.pfx, pfx)
		return nil
	})
}

func (p *parser) features(rec *tagRec) error {
	c, err := p.peek()
	if err != nil {
		return err
	}
	if c == 'n' {
		_, err := p.s.scalar()
		return err
	}
	if c != '[' {
		p.problem(p.field, "is "+jsonscan.Kind(c)+", want an array of feature names", nil, false)
		return p.s.skip(4)
	}
	rec.listed = true
	return p.s.array(5, func(i int) error {
		c, err := p.peek()
		if err != nil {
			return err
		}
		if c != '"' {
			p.problem(p.field+"["+strconv.Itoa(i)+"]", "is "+jsonscan.Kind(c)+", want a feature name", nil, false)
			return p.s.skip(5)
		}
		b, err := p.s.str()
		if err != nil {
			return err
		}
		f, ok := parseFeatureBytes(b)
		if !ok {
			e := p.errorf(p.index, p.field+"["+strconv.Itoa(i)+"]", "unknown network feature %s, skipped", quoteBytes(b))
			e.Tag = rec.Name
			p.warn(e)
		}
		rec.Features |= f
		return nil
	})
}

func parseFeatureBytes(b []byte) (Feature, bool) {
	for _, n := range featureNames {
		if len(b) == len(n.name) && strings.EqualFold(string(b), n.name) {
			return n.f, true
		}
	}
	return 0, false
}

// parsePrefix4 parses the common case "a.b.c.d/n" without allocating. It
// returns false for anything else, including input cidr.ParsePrefix would
// reject, so that cidr.ParsePrefix decides (and words the error).
func parsePrefix4(b []byte) (netip.Prefix, bool) {
	var ip [4]byte
	i := 0
	for k := range 4 {
		start, v := i, 0
		for i < len(b) && '0' <= b[i] && b[i] <= '9' && i-start < 3 {
			v = v*10 + int(b[i]-'0')
			i++
		}
		if i == start || v > 255 || (b[start] == '0' && i-start > 1) {
			return netip.Prefix{}, false
		}
		ip[k] = byte(v)
		want := byte('.')
		if k == 3 {
			want = '/'
		}
		if i >= len(b) || b[i] != want {
			return netip.Prefix{}, false
		}
		i++
	}
	start, bits := i, 0
	for i < len(b) && '0' <= b[i] && b[i] <= '9' && i-start < 2 {
		bits = bits*10 + int(b[i]-'0')
		i++
	}
	if i == start || i != len(b) || bits > 32 || (b[start] == '0' && i-start > 1) {
		return netip.Prefix{}, false
	}
	p := netip.PrefixFrom(netip.AddrFrom4(ip), bits)
	if p.Masked() != p {
		return netip.Prefix{}, false
	}
	return p, true
}

func quote(s string) string {
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return strconv.Quote(s)
}

func quoteBytes(b []byte) string {
	if len(b) > 40 {
		b = append(b[:40:40], "..."...)
	}
	return quote(string(b))
}
