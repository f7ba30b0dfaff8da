package engine

import "github.com/vnetpath/vnetpath/answer"

// The answers the engine gives are package answer's types; these aliases
// name those its methods return.
type (
	// Report is the answer of [Engine.Run]: see [answer.Report].
	Report = answer.Report
	// Result is the answer of one check: see [answer.Result].
	Result = answer.Result
	// RouteTable is the answer of [Engine.EffectiveRoutes]: see
	// [answer.RouteTable].
	RouteTable = answer.RouteTable
	// Resolution is the answer of [Engine.ResolveFrom]: see
	// [answer.Resolution].
	Resolution = answer.Resolution
)
