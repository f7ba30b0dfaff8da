// Package answer holds the answers vnetpath gives, as data: a [Report] of
// [Result]s, each with its [Verdict], the [Hop]s of its path and the
// [Step]s at each hop, typed [Blocker]s that say what stopped the flow and
// why ([Cause]), and [Fix]es that say what to change — the ARM resource,
// a compact change, an az command and the ARM-level [Patch]es that apply
// it. Effective routes ([RouteTable]) and name resolutions ([Resolution])
// are here too.
//
// Sentences are made from the data, never the other way round: [Explain]
// gives the reason of a blocker and [FixText] the sentence of a fix, one
// function per cause. The engine fills Result.Reason and Fix.Text with
// them; other tools may re-word an answer from the same data.
//
// The package imports only the standard library and topology (for the
// model enumerations it shares: [topology.NextHopType],
// [topology.Direction], [topology.Access], [topology.PeeringState]), so
// renderers and other programs can read answers without the engine. Every
// enumeration is a typed string whose value is its JSON spelling; its
// MarshalText and UnmarshalText reject anything else. The JSON field names
// of SPEC §5 are fixed; fields beyond them may be added.
package answer
