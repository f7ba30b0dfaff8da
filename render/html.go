package render

import (
	"fmt"
	"html"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// HTML writes a report as one self-contained HTML page, to open in a
// browser or attach to a ticket: the headline; the summary matrix of each
// workspace (rows are sources, a cell per endpoint links to its answer);
// each answer that failed, with its reason, its path drawn as inline SVG
// (the hop where it stopped in red, with the rule or route on the edge),
// its name resolution, the hops and steps, assumptions and its fixes with
// their az commands and a button that copies them; the reachable answers
// (unless Options.FailuresOnly); what the snapshot lacks and how to export
// it; the load summary and the warnings. It loads nothing: no external
// script, style sheet, font or image, and a few lines of script for the
// copy buttons.
//
// A whole estate is shown as the text report shows it, so that the page
// stays as long as its distinct problems: rows with the same marks once
// beyond 40 rows, failures that share their cause and fix across sources
// once per group (their cells link to the group's answer), and reachable
// answers beyond 200 counted by endpoint.
func HTML(w io.Writer, r *answer.Report, o Options) error { return answersOf(r).html(w, o) }

// html writes the HTML report of a's answers (see [HTML]).
func (a *answers) html(w io.Writer, o Options) error {
	h := &htmlReport{ew: &errWriter{w: w}, a: a, o: o}
	ms := a.summarize()
	h.groups, h.grouped = groupFailures(a, ms)
	h.shownAt = make(map[int]int, len(h.grouped))
	for _, g := range h.groups {
		for _, i := range g.members {
			h.shownAt[i] = g.members[0]
		}
	}
	h.p(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vnetpath check: %s</title>
<style>%s</style>
</head>
<body>
<header><h1>vnetpath check</h1><p class="headline">%s</p></header>
`, esc(headline(a)), htmlCSS, esc(headline(a)))
	h.missing()
	h.p("<section id=\"summary\">\n<h2>Summary</h2>\n")
	for _, m := range ms {
		h.matrix(m)
	}
	h.p("</section>\n")
	h.failures(ms)
	if !o.FailuresOnly {
		h.reachable(ms)
	}
	h.load()
	h.p("<script>%s</script>\n</body>\n</html>\n", htmlJS)
	return h.ew.err
}

type htmlReport struct {
	ew      *errWriter
	a       *answers
	o       Options
	groups  []*failGroup // failures that share their cause and fix across sources
	grouped map[int]bool // the answers groups hold
	shownAt map[int]int  // the answers groups hold -> the answer shown for them
}

// link returns the anchor of the answer that shows answer i: its own, or
// that of its group's first answer.
func (h *htmlReport) link(i int) string {
	if f, ok := h.shownAt[i]; ok {
		return anchor(f)
	}
	return anchor(i)
}

func (h *htmlReport) p(format string, a ...any) { h.ew.printf(format, a...) }

func esc(s string) string { return html.EscapeString(s) }

// anchor is the id of the element that shows result i.
func anchor(i int) string { return "r" + strconv.Itoa(i) }

func (h *htmlReport) missing() {
	miss := h.a.head.Snapshot.Missing
	if len(miss) == 0 {
		return
	}
	h.p("<section id=\"missing\">\n<h2>Missing from the snapshot (%d)</h2>\n", len(miss))
	h.p("<p>The snapshot references these resources but does not hold them; answers that depend on them are <code>unknown</code>. Export them and load them with the snapshot.</p>\n")
	var cmds []string
	for _, m := range miss {
		if m.Export != "" && !slices.Contains(cmds, m.Export) {
			cmds = append(cmds, m.Export)
		}
	}
	if len(cmds) > 0 {
		h.az(strings.Join(cmds, "\n"))
	}
	h.p("<table class=\"list\"><thead><tr><th>resource</th><th>type</th><th>referenced by</th></tr></thead><tbody>\n")
	for _, m := range miss {
		h.p("<tr><td class=\"id\">%s</td><td>%s</td><td class=\"id\">%s</td></tr>\n", esc(m.ID), esc(m.Type), esc(strings.Join(m.ReferencedBy, "\n")))
	}
	h.p("</tbody></table>\n</section>\n")
}

func (h *htmlReport) matrix(m *matrix) {
	h.p("<h3>%s</h3>\n", esc(m.title()))
	h.p("<div class=\"scroll\"><table class=\"matrix\" data-workspace=\"%s\">\n<thead><tr><th class=\"src\">source</th>", esc(m.workspace))
	for c, col := range m.cols {
		title := col.String()
		if col.purpose != "" {
			title += " · " + col.purpose
		}
		title += m.colWorkspaces(col)
		h.p("<th title=\"%s\">%d</th>", esc(title), c+1)
	}
	h.p("</tr></thead>\n<tbody>\n")
	rows, merged := m.shownRows(h.a)
	for _, rw := range rows {
		name := topology.ShortName(rw.source)
		h.p("<tr data-source=\"%s\"><th class=\"src\" title=\"%s\">%s</th>", esc(name), esc(rw.source), esc(rw.name))
		for c, i := range rw.cells {
			if i < 0 {
				h.p("<td class=\"none\">-</td>")
				continue
			}
			res := h.a.at(i)
			title := fmt.Sprintf("%s → %s: %s", name, m.cols[c].String(), res.Verdict)
			if res.Reachable {
				h.p("<td class=\"ok\" data-verdict=\"%s\" title=\"%s\">✓</td>", esc(string(res.Verdict)), esc(title))
				continue
			}
			h.p("<td class=\"fail\" data-verdict=\"%s\" title=\"%s\"><a href=\"#%s\">%s</a></td>",
				esc(string(res.Verdict)), esc(title+": "+res.Reason), h.link(i), esc(VerdictCode(res.Verdict)))
		}
		h.p("</tr>\n")
	}
	h.p("</tbody></table></div>\n")
	if q := m.quietLine(); q != "" {
		h.p("<p class=\"quiet\">✓ %s</p>\n", esc(q))
	}
	if merged > 0 {
		h.p("<p class=\"quiet\">%s</p>\n", esc(mergedNote(merged)))
	}
	h.p("<p class=\"legend\">")
	for k, v := range m.verdicts {
		if k > 0 {
			h.p(" · ")
		}
		cls := "fail"
		if v.IsReachable() {
			cls = "ok"
		}
		h.p("<span class=\"code %s\">%s</span> %s", cls, esc(VerdictCode(v)), esc(string(v)))
	}
	h.p("</p>\n<ol class=\"endpoints\">\n")
	for _, col := range m.cols {
		h.p("<li><span class=\"dest\">%s</span>", esc(col.String()))
		if col.purpose != "" {
			h.p(" · %s", esc(col.purpose))
		}
		h.p("%s</li>\n", esc(m.colWorkspaces(col)))
	}
	h.p("</ol>\n")
}

func (h *htmlReport) failures(ms []*matrix) {
	n := h.a.n() - h.a.ok
	if n == 0 {
		return
	}
	h.p("<section id=\"failures\">\n<h2>Not reachable (%s)</h2>\n", esc(count(n, "answer", "answers")))
	if len(h.groups) > 0 {
		h.p("<p class=\"legend\">%s share their cause and fix with answers from other sources: each such group is shown once, for one of its sources, largest first.</p>\n",
			esc(count(len(h.grouped), "answer", "answers")))
		for _, fg := range h.groups {
			h.failGroup(fg)
		}
		if len(h.grouped) < n {
			h.p("<h3>The other %s, by source</h3>\n", esc(count(n-len(h.grouped), "answer", "answers")))
		}
	}
	for _, m := range ms {
		for _, rw := range m.rows {
			title, ok := ungroupedTitle(m, rw, h.a, h.grouped)
			if !ok {
				continue
			}
			h.p("<h3>%s</h3>\n", esc(title))
			for c, i := range rw.cells {
				if i >= 0 && !h.a.reachable(i) && !h.grouped[i] {
					h.result(i, c+1)
				}
			}
		}
	}
	h.p("</section>\n")
}

// failGroup writes a group of failures: how many answers, the verdict,
// endpoints and sources, then its first answer in full, and how its fix
// applies to the others.
func (h *htmlReport) failGroup(fg *failGroup) {
	entries, _ := sourceRuns(fg.sources)
	first := h.a.at(fg.members[0])
	h.p("<section class=\"group\" data-verdict=\"%s\" data-answers=\"%d\">\n<h3>%s</h3>\n<p class=\"sources\">sources: %s</p>\n<p>for example from %s:</p>\n",
		esc(string(fg.verdict)), len(fg.members), esc(fg.headline()), esc(strings.Join(entries, "; ")), esc(topology.ShortName(first.Source)))
	h.result(fg.members[0], fg.firstCol)
	if s := fg.each(h.a); s != "" {
		h.p("<p class=\"each\">each: %s</p>\n", esc(s))
	}
	h.p("</section>\n")
}

func (h *htmlReport) result(i, col int) {
	res := h.a.at(i)
	h.p("<article class=\"answer fail\" id=\"%s\" data-verdict=\"%s\">\n", anchor(i), esc(string(res.Verdict)))
	h.p("<h4><span class=\"code fail\">%s</span> <span class=\"n\">#%d</span> <span class=\"dest\">%s</span>",
		esc(strings.ToUpper(string(res.Verdict))), col, esc(endpoint(res)))
	if res.Purpose != "" {
		h.p(" <span class=\"purpose\">%s</span>", esc(res.Purpose))
	}
	h.p("</h4>\n<p class=\"reason\">%s</p>\n", esc(res.Reason))
	h.p("<div class=\"scroll\">%s</div>\n", pathSVG(drawResult(anchor(i), col, res)))
	h.p("<details><summary>hops and steps</summary><pre class=\"hops\">")
	path := pathLines(res.Hops, !res.Reachable)
	if len(res.Then) > 0 {
		path = append(path, "once the blocker is lifted, it would go on:")
		path = append(path, pathLines(res.Then, false)...)
	}
	h.p("%s</pre></details>\n", esc(strings.Join(path, "\n")))
	h.p("<dl>\n")
	if e := res.Egress; e != nil {
		h.p("<dt>egress</dt><dd>%s via %s</dd>\n", esc(egressLabel(e)), esc(topology.NameOf(e.Via)))
	}
	if rp := res.ReturnPath; rp != nil && !rp.OK {
		h.p("<dt>return path</dt><dd>broken: %s</dd>\n", esc(rp.Reason))
	}
	if d := res.DNS; d != nil && (len(d.Chain) > 0 || d.Resolver != "") {
		h.p("<dt>dns</dt><dd>%s via %s", esc(d.Rcode), esc(d.Resolver))
		if len(d.Addresses) > 0 {
			h.p(" → %s", esc(strings.Join(d.Addresses, ", ")))
		} else if d.Public {
			h.p(" → public address")
		}
		h.p("<ol class=\"chain\">")
		for _, c := range d.Chain {
			h.p("<li><code>%s</code> %s %s <span class=\"src\">(%s)</span></li>", esc(c.Name), esc(c.Type), esc(c.Value), esc(c.Source))
		}
		h.p("</ol></dd>\n")
	}
	for _, p := range res.Parts {
		h.p("<dt>part %s</dt><dd>%s: %s</dd>\n", esc(p.Destinations), esc(string(p.Verdict)), esc(p.Reason))
	}
	if len(res.Missing) > 0 {
		h.p("<dt>missing</dt><dd class=\"id\">%s</dd>\n", esc(strings.Join(res.Missing, "\n")))
	}
	h.p("</dl>\n")
	if len(res.Assumptions) > 0 {
		h.p("<ul class=\"assumptions\">")
		for _, a := range res.Assumptions {
			h.p("<li>assumes: %s</li>", esc(a))
		}
		h.p("</ul>\n")
	}
	if len(res.Fixes) > 0 {
		h.p("<div class=\"fixes\"><h5>Fixes</h5>\n")
		for _, f := range res.Fixes {
			h.p("<div class=\"fix\" data-kind=\"%s\"><p>%s</p>\n", esc(string(f.Kind)), esc(f.Text))
			if f.Az != "" {
				h.az(f.Az)
			}
			h.p("</div>\n")
		}
		h.p("</div>\n")
	}
	h.p("</article>\n")
}

// az writes commands to copy.
func (h *htmlReport) az(cmds string) {
	h.p("<div class=\"az\"><pre><code>%s</code></pre><button type=\"button\" class=\"copy\">copy</button></div>\n", esc(cmds))
}

func (h *htmlReport) reachable(ms []*matrix) {
	n := h.a.ok
	if n == 0 {
		return
	}
	h.p("<section id=\"reachable\">\n<h2>Reachable (%s)</h2>\n", esc(count(n, "answer", "answers")))
	if n > maxReachable {
		h.p("<p class=\"legend\">%s</p>\n", esc(byColumnNote))
		for _, m := range ms {
			h.p("<table class=\"list\"><tbody>\n")
			for _, ct := range m.columnTallies(h.a) {
				h.p("<tr><td class=\"n\">#%d</td><td class=\"ok\">✓</td><td class=\"dest\">%s<ul class=\"tally\">", ct.col+1, esc(ct.head))
				for _, tl := range ct.top {
					h.p("<li>%s: %s</li>", esc(thousands(tl.n)), esc(tl.outcome))
				}
				if ct.rest != "" {
					h.p("<li>%s</li>", esc(ct.rest))
				}
				h.p("</ul></td></tr>\n")
			}
			h.p("</tbody></table>\n")
		}
		h.p("</section>\n")
		return
	}
	for _, m := range ms {
		for _, rw := range slices.Concat(m.rows, m.quietRows) {
			if rw.reached(h.a) == 0 {
				continue
			}
			h.p("<h3>%s</h3>\n<table class=\"list\"><tbody>\n", esc(groupTitle(m, rw, h.a)))
			for c, i := range rw.cells {
				if i < 0 || !h.a.reachable(i) {
					continue
				}
				res := h.a.at(i)
				h.p("<tr id=\"%s\"><td class=\"n\">#%d</td><td class=\"ok\">✓</td><td class=\"dest\">%s</td><td>%s</td></tr>\n",
					anchor(i), c+1, esc(endpoint(res)), esc(outcome(res)))
			}
			h.p("</tbody></table>\n")
		}
	}
	h.p("</section>\n")
}

func (h *htmlReport) load() {
	s := h.a.head.Snapshot
	h.p("<section id=\"snapshot\">\n<h2>Snapshot</h2>\n<p>%d resources", s.Resources)
	if len(s.Skipped) > 0 {
		h.p("; skipped: %s", esc(countList(s.Skipped)))
	}
	h.p(". ")
	if c := h.a.head.ServiceTags; c != nil {
		h.p("Service tags: %s, change %d, %d tags.</p>\n", esc(c.Cloud), c.ChangeNumber, c.Tags)
	} else {
		h.p("Service tags: none given; tags are matched by name.</p>\n")
	}
	if len(s.Types) > 0 {
		h.p("<details><summary>resources by type</summary><table class=\"list\"><tbody>\n")
		types := make([]string, 0, len(s.Types))
		for t := range s.Types {
			types = append(types, t)
		}
		slices.Sort(types)
		for _, t := range types {
			h.p("<tr><td>%s</td><td class=\"n\">%d</td></tr>\n", esc(t), s.Types[t])
		}
		h.p("</tbody></table></details>\n")
	}
	if len(h.a.head.Warnings) > 0 {
		h.p("<h3>Warnings (%d)</h3>\n<ul class=\"warnings\">\n", len(h.a.head.Warnings))
		for _, w := range h.a.head.Warnings {
			h.p("<li>%s</li>\n", esc(w))
		}
		h.p("</ul>\n")
	}
	h.p("</section>\n")
}

const htmlCSS = `
:root { --ok: #1f7a3a; --okbg: #e6f4ea; --bad: #cc0000; --badbg: #fde8e8; --line: #d0d4da; --muted: #5c6370; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1d2127; margin: 0 auto; padding: 16px 24px 48px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; } h4 { font-size: 14px; margin: 0 0 6px; } h5 { font-size: 13px; margin: 10px 0 4px; }
.headline { font-size: 15px; margin: 0; color: var(--muted); }
code, pre, .id, .dest { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.id { white-space: pre-wrap; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
table.matrix { border-collapse: collapse; margin: 4px 0; }
table.matrix th, table.matrix td { border: 1px solid var(--line); padding: 3px 6px; text-align: center; min-width: 34px; }
table.matrix th.src { text-align: left; font-weight: 600; white-space: nowrap; }
table.matrix thead th { background: #f3f4f6; font-weight: 600; cursor: help; }
td.ok { color: var(--ok); background: var(--okbg); }
td.fail { background: var(--badbg); font-weight: 700; }
td.fail a { color: var(--bad); text-decoration: none; display: block; }
td.none { color: #aaa; }
.code.ok { color: var(--ok); font-weight: 700; } .code.fail { color: var(--bad); font-weight: 700; }
.legend, .quiet { margin: 4px 0; color: var(--muted); }
ol.endpoints { margin: 6px 0; padding-left: 28px; color: var(--muted); columns: 2 420px; column-gap: 32px; }
ol.endpoints li { overflow-wrap: anywhere; break-inside: avoid; }
article.answer { border: 1px solid var(--line); border-left: 4px solid var(--bad); border-radius: 6px; padding: 10px 14px; margin: 10px 0 16px; }
article.answer .n { color: var(--muted); font-weight: 400; }
.purpose { color: var(--muted); font-weight: 400; }
.reason { margin: 4px 0 8px; }
svg.path { display: block; margin: 6px 0; font-family: system-ui, Helvetica, Arial, sans-serif; font-size: 12px; }
svg.path text.kind { fill: var(--muted); font-size: 11px; }
svg.path text.elabel { font-size: 11px; fill: #333; } svg.path text.elabel.blocked { fill: var(--bad); font-weight: 600; }
svg.path text.elabel.dns, svg.path text.elabel.dnsBad { fill: #5566aa; }
details { margin: 4px 0; } summary { cursor: pointer; color: var(--muted); }
pre.hops { background: #f7f7f9; padding: 8px; border-radius: 4px; overflow-x: auto; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; } dt { color: var(--muted); } dd { margin: 0; }
ol.chain { margin: 2px 0; padding-left: 20px; } .src { color: var(--muted); }
ul.assumptions { color: var(--muted); margin: 6px 0; padding-left: 20px; }
.fix { margin: 6px 0 10px; } .fix p { margin: 2px 0; }
.az { position: relative; } .az pre { background: #0f1720; color: #e6edf3; padding: 8px 64px 8px 10px; border-radius: 4px; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
button.copy { position: absolute; top: 6px; right: 6px; font: 12px system-ui, sans-serif; padding: 2px 8px; border-radius: 4px; border: 1px solid #888; background: #fff; cursor: pointer; }
table.list { border-collapse: collapse; } table.list td, table.list th { border-bottom: 1px solid var(--line); padding: 2px 8px; text-align: left; vertical-align: top; }
table.list td.n { text-align: right; color: var(--muted); }
ul.warnings li { margin: 2px 0; }
section.group { margin: 18px 0 8px; } section.group .sources { color: var(--muted); overflow-wrap: anywhere; } .each { margin: 2px 0 10px; }
ul.tally { margin: 2px 0 6px; padding-left: 18px; color: var(--muted); font-family: system-ui, Helvetica, Arial, sans-serif; font-size: 13px; }
`

const htmlJS = `
for (const b of document.querySelectorAll("button.copy")) {
  b.addEventListener("click", () => {
    const text = b.parentElement.querySelector("code").textContent;
    navigator.clipboard.writeText(text).then(() => { b.textContent = "copied"; setTimeout(() => { b.textContent = "copy"; }, 1500); });
  });
}
`
