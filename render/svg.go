package render

import (
	"fmt"
	"html"
	"strings"
)

// The SVG of one answer's path in the HTML report: the hops top to bottom
// in the left column with the route of each edge beside its arrow, the
// destination last (reached, or not with the red blocker edge), and the
// name resolution in the right column, linked from the source. Text sizes
// are estimated (7 px a character at 12 px), which is all a fixed
// layout without a font needs.

const (
	svgColW    = 340 // node width
	svgGapX    = 90  // between the columns
	svgMargin  = 12
	svgLineH   = 15
	svgPadY    = 9
	svgChars   = 46 // characters a node line holds
	svgLabelCh = 44 // characters an edge label line holds
)

type svgBox struct {
	x, y, h int
	node    drawNode
}

var svgColors = map[string][2]string{ // stroke, fill
	clsHop:     {"#555555", "#ffffff"},
	clsBlocked: {"#cc0000", "#fde8e8"},
	clsOK:      {"#1f7a3a", "#e6f4ea"},
	clsDst:     {"#888888", "#f4f4f4"},
	clsDNS:     {"#5566aa", "#eef0fb"},
	clsDNSBad:  {"#cc0000", "#fde8e8"},
}

// nodeLines wraps a node's lines to the width of a box; the first line
// (the kind) stays as it is.
func nodeLines(n drawNode) []string {
	var out []string
	for _, l := range n.lines {
		out = append(out, wrap(l, svgChars, "", "  ")...)
	}
	return out
}

// pathSVG draws an answer.
func pathSVG(a *drawAnswer) string {
	var (
		left, right []drawNode
		edges       = map[string]drawEdge{} // by target
		fromHop     drawEdge                // the edge from the source to the resolver
	)
	for _, n := range a.nodes {
		if n.class == clsDNS || n.class == clsDNSBad {
			right = append(right, n)
		} else {
			left = append(left, n)
		}
	}
	for _, e := range a.edges {
		if e.from == a.id+"h0" && (e.class == clsDNS || e.class == clsDNSBad) && strings.HasPrefix(e.to, a.id+"q") {
			fromHop = e
			continue
		}
		edges[e.to] = e
	}
	var b strings.Builder
	boxes := map[string]svgBox{}
	place := func(nodes []drawNode, x int) int {
		y := svgMargin
		for i, n := range nodes {
			if i > 0 {
				gap := 26
				if e, ok := edges[n.id]; ok && e.label != "" {
					gap = 18 + svgLineH*len(wrap(e.label, svgLabelCh, "", ""))
				}
				y += gap
			}
			h := 2*svgPadY + svgLineH*len(nodeLines(n)) - 3
			boxes[n.id] = svgBox{x: x, y: y, h: h, node: n}
			y += h
		}
		return y
	}
	hLeft := place(left, svgMargin)
	hRight := 0
	width := svgMargin*2 + svgColW
	if len(right) > 0 {
		hRight = place(right, svgMargin+svgColW+svgGapX)
		width += svgGapX + svgColW
	}
	height := max(hLeft, hRight) + svgMargin
	fmt.Fprintf(&b, `<svg class="path" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		width, height, width, height, html.EscapeString(a.label))
	b.WriteString("<defs>")
	for _, c := range []string{clsHop, clsBlocked, clsOK, clsDNS, clsDNSBad} {
		fmt.Fprintf(&b, `<marker id="%s-%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>`,
			a.id, c, svgColors[c][0])
	}
	b.WriteString("</defs>")
	// Edges first, so that boxes cover their ends.
	for _, col := range [][]drawNode{left, right} {
		for i := 1; i < len(col); i++ {
			e, ok := edges[col[i].id]
			if !ok {
				continue
			}
			from, to := boxes[col[i-1].id], boxes[col[i].id]
			x := from.x + 22
			y1, y2 := from.y+from.h, to.y
			svgEdge(&b, a.id, e, x, y1, x, y2)
			for k, l := range wrap(e.label, svgLabelCh, "", "") {
				fmt.Fprintf(&b, `<text class="elabel %s" x="%d" y="%d">%s</text>`, e.class, x+10, y1+16+k*svgLineH, html.EscapeString(l))
			}
		}
	}
	if fromHop.from != "" {
		from, to := boxes[fromHop.from], boxes[fromHop.to]
		x1, y1 := from.x+svgColW, from.y+from.h/2
		x2, y2 := to.x, to.y+to.h/2
		svgEdge(&b, a.id, fromHop, x1, y1, x2, y2)
		// The name is the resolver column's first record.
		fmt.Fprintf(&b, `<text class="elabel dns" x="%d" y="%d">resolve</text>`, x1+8, min(y1, y2)-4)
	}
	for _, col := range [][]drawNode{left, right} {
		for _, n := range col {
			bx := boxes[n.id]
			c := svgColors[n.class]
			rx := 6
			if n.class == clsOK || n.class == clsDst {
				rx = 16
			}
			sw := "1.2"
			if n.class == clsBlocked || n.class == clsDNSBad {
				sw = "2.4"
			}
			dash := ""
			if n.class == clsDst {
				dash = ` stroke-dasharray="5 3"`
			}
			fmt.Fprintf(&b, `<g class="node %s" data-node="%s"><rect x="%d" y="%d" width="%d" height="%d" rx="%d" fill="%s" stroke="%s" stroke-width="%s"%s/>`,
				n.class, n.id, bx.x, bx.y, svgColW, bx.h, rx, c[1], c[0], sw, dash)
			for k, l := range nodeLines(n) {
				cls := "t"
				if k == 0 && (n.class == clsHop || n.class == clsBlocked) {
					cls = "kind"
				}
				fmt.Fprintf(&b, `<text class="%s" x="%d" y="%d">%s</text>`, cls, bx.x+10, bx.y+svgPadY+11+k*svgLineH, html.EscapeString(l))
			}
			b.WriteString("</g>")
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

func svgEdge(b *strings.Builder, id string, e drawEdge, x1, y1, x2, y2 int) {
	c := svgColors[e.class]
	if c[0] == "" {
		c = svgColors[clsHop]
	}
	dash := ""
	switch e.class {
	case clsBlocked:
		dash = ` stroke-dasharray="6 4"`
	case clsDNS, clsDNSBad:
		dash = ` stroke-dasharray="2 3"`
	}
	w := "1.4"
	if e.class == clsBlocked || e.class == clsOK {
		w = "2.2"
	}
	fmt.Fprintf(b, `<line class="edge %s" x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="%s"%s marker-end="url(#%s-%s)"/>`,
		e.class, x1, y1, x2, y2, c[0], w, dash, id, markerClass(e.class))
}

func markerClass(cls string) string {
	if _, ok := svgColors[cls]; ok && cls != clsDst {
		return cls
	}
	return clsHop
}
