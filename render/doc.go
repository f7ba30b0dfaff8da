// Package render writes vnetpath's answers for people and programs: a
// check's [answer.Report] as text ([Text]), as the JSON of SPEC §5
// ([JSON], streamed one result at a time), and its paths as Graphviz
// ([Dot]) or Mermaid ([Mermaid]) drawings; a subnet's effective routes
// ([RoutesText], [RoutesJSON]) and a name's resolution ([ResolutionText],
// [ResolutionJSON]).
//
// Renderers read only the data of package answer; every sentence they
// print is one the answer carries (Reason, Fix.Text) or a label made from
// its fields. Each writer returns the first write error.
package render
