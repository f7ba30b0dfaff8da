package estategen

import "strconv"

// enc writes indented JSON the way `az ... -o json` prints it (two spaces,
// "key": value), straight into a byte slice: the generator writes gigabytes
// at 20,000 spokes, and building maps for encoding/json would cost most of
// the time. Callers write the keys of each object in alphabetical order, as
// az does; TestKeysSorted checks that they do.
type enc struct {
	full  [][]byte // filled chunks
	buf   []byte   // the chunk being filled
	count []int    // elements written at each open level
	close []byte   // '}' or ']' for each open level
}

// chunkSize is the size of the buffers enc fills: the output is kept as a
// list of chunks rather than one growing slice, which would copy
// everything written so far each time it grows.
const chunkSize = 1 << 20

// freeChunks holds chunks whose bytes were written out, for reuse: a
// sync.Pool would drop them at every collection, and fresh chunks cost page
// faults and clearing.
var freeChunks = make(chan []byte, 64)

func newChunk() []byte {
	select {
	case c := <-freeChunks:
		return c[:0]
	default:
		return make([]byte, 0, chunkSize)
	}
}

// release returns chunks to the free list once their bytes are written
// out.
func release(cs [][]byte) {
	for _, c := range cs {
		if cap(c) != chunkSize {
			continue
		}
		select {
		case freeChunks <- c:
		default:
		}
	}
}

const spaces = "                                                                "

func (e *enc) newline() {
	if len(e.buf) > chunkSize-4096 {
		e.full = append(e.full, e.buf)
		e.buf = newChunk()
	}
	e.buf = append(e.buf, '\n')
	n := 2 * len(e.count)
	for n > len(spaces) {
		e.buf = append(e.buf, spaces...)
		n -= len(spaces)
	}
	e.buf = append(e.buf, spaces[:n]...)
}

// next starts an element of the innermost object or array.
func (e *enc) next() {
	if len(e.count) == 0 {
		return
	}
	top := len(e.count) - 1
	if e.count[top] > 0 {
		e.buf = append(e.buf, ',')
	}
	e.count[top]++
	e.newline()
}

// key starts a member of the innermost object; "" starts an array element.
// Keys are the generator's own identifiers and need no escaping.
func (e *enc) key(k string) {
	e.next()
	if k != "" {
		e.buf = append(e.buf, '"')
		e.buf = append(e.buf, k...)
		e.buf = append(e.buf, '"', ':', ' ')
	}
}

// cat writes a string member made of parts, without building the string.
func (e *enc) cat(k string, parts ...string) {
	e.key(k)
	e.buf = append(e.buf, '"')
	for _, p := range parts {
		e.raw(p)
	}
	e.buf = append(e.buf, '"')
}

// etag writes the etag of the resource whose ID is the concatenation of
// parts, as ARM spells it (W/"<guid>").
func (e *enc) etag(parts ...string) {
	e.key("etag")
	a, b := hash('e', parts...)
	e.buf = append(e.buf, `"W/\"`...)
	e.buf = appendGUID(e.buf, a, b)
	e.buf = append(e.buf, `\""`...)
}

// guid writes a member holding the stamp of the resource whose ID is the
// concatenation of parts (see stamp).
func (e *enc) guid(k string, salt byte, parts ...string) {
	e.key(k)
	a, b := hash(salt, parts...)
	e.buf = append(e.buf, '"')
	e.buf = appendGUID(e.buf, a, b)
	e.buf = append(e.buf, '"')
}

func (e *enc) open(k string, c byte) {
	e.key(k)
	e.buf = append(e.buf, c)
	e.count = append(e.count, 0)
	if c == '{' {
		e.close = append(e.close, '}')
	} else {
		e.close = append(e.close, ']')
	}
}

// obj opens an object member (k != "") or array element (k == "").
func (e *enc) obj(k string) { e.open(k, '{') }

// arr opens an array member (k != "") or array element (k == "").
func (e *enc) arr(k string) { e.open(k, '[') }

// end closes the innermost object or array.
func (e *enc) end() {
	top := len(e.count) - 1
	n, c := e.count[top], e.close[top]
	e.count, e.close = e.count[:top], e.close[:top]
	if n > 0 {
		e.newline()
	}
	e.buf = append(e.buf, c)
}

func (e *enc) s(k, v string) {
	e.key(k)
	e.str(v)
}

func (e *enc) n(k string, v int) {
	e.key(k)
	e.buf = strconv.AppendInt(e.buf, int64(v), 10)
}

func (e *enc) b(k string, v bool) {
	e.key(k)
	e.buf = strconv.AppendBool(e.buf, v)
}

func (e *enc) null(k string) {
	e.key(k)
	e.buf = append(e.buf, "null"...)
}

func (e *enc) strs(k string, vs ...string) {
	e.arr(k)
	for _, v := range vs {
		e.s("", v)
	}
	e.end()
}

// ref writes {"id": id}.
func (e *enc) ref(k, id string) {
	e.obj(k)
	e.s("id", id)
	e.end()
}

// refs writes [{"id": ...}, ...].
func (e *enc) refs(k string, ids ...string) {
	e.arr(k)
	for _, id := range ids {
		e.ref("", id)
	}
	e.end()
}

// rgRefs writes [{"id": ..., "resourceGroup": ...}, ...], as az prints
// references to application security groups.
func (e *enc) rgRefs(k string, ids ...string) {
	e.arr(k)
	for _, id := range ids {
		e.obj("")
		e.s("id", id)
		e.s("resourceGroup", resourceGroupOf(id))
		e.end()
	}
	e.end()
}

// str writes a JSON string.
func (e *enc) str(v string) {
	e.buf = append(e.buf, '"')
	e.raw(v)
	e.buf = append(e.buf, '"')
}

// raw writes the inside of a JSON string: control characters, quotes and
// backslashes are escaped; everything else is written as it is (UTF-8).
func (e *enc) raw(v string) {
	start := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		e.buf = append(e.buf, v[start:i]...)
		switch c {
		case '"', '\\':
			e.buf = append(e.buf, '\\', c)
		case '\n':
			e.buf = append(e.buf, '\\', 'n')
		case '\t':
			e.buf = append(e.buf, '\\', 't')
		case '\r':
			e.buf = append(e.buf, '\\', 'r')
		default:
			e.buf = append(e.buf, '\\', 'u', '0', '0', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
		}
		start = i + 1
	}
	e.buf = append(e.buf, v[start:]...)
}

// done finishes the document with a newline, as az does, and returns its
// chunks.
func (e *enc) done() [][]byte {
	e.buf = append(e.buf, '\n')
	out := append(e.full, e.buf)
	e.full, e.buf = nil, nil
	return out
}

// join returns the chunks as one slice.
func join(cs [][]byte) []byte {
	n := 0
	for _, c := range cs {
		n += len(c)
	}
	out := make([]byte, 0, n)
	for _, c := range cs {
		out = append(out, c...)
	}
	return out
}
