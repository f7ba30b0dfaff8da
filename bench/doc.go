// Package bench holds vnetpath's benchmarks: route lookup against raw bart
// on a Tier-1 table, snapshot loading, service-tag parsing and lookup, and
// the engine's checks and effective routes on generated estates. It has no
// code of its own; README.md beside it gives the method, the commands and
// the figures.
package bench
