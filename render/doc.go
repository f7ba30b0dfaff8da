// Package render writes vnetpath's answers for people and programs.
//
// A check's [answer.Report] is written as text that leads with the answer
// ([Text], [TextWith]: a summary matrix of sources × endpoints, then what
// failed and why with its fixes — failures several sources share, with the
// same cause and fix, shown once — then the reachable answers, in [Width]
// columns), as one self-contained HTML page with each failed path drawn as
// SVG ([HTML]), as the JSON of SPEC §5 ([JSON]; [JSONWriter] writes the
// results as they are found, one per line), and as Graphviz ([Dot]) or
// Mermaid ([Mermaid]) drawings of each answer's path with its verdict. A
// [Collector] gathers answers as they are found for the text and HTML
// reports, keeping whole only the failures they show in full, so that an
// estate's report holds its summary rather than every answer.
// [SnapshotText] writes what was loaded
// and the warnings. [Graph] draws an estate from its snapshot ([Estate],
// with DOT, Mermaid and JSON forms). A subnet's effective routes
// ([RoutesText], [RoutesJSON]) and a name's resolution ([ResolutionText],
// [ResolutionJSON]) have their writers too.
//
// Renderers read only the data of package answer (and, for [Graph], the
// snapshot); every sentence they print is one the answer carries (Reason,
// Fix.Text) or a label made from its fields. Values this package does not
// know — a new verdict, cause, step type or hop kind — are written by their
// names. Each writer returns the first write error, and none panics on any
// answer.
package render
