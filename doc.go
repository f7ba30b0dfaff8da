// Package vnetpath answers, offline, whether sources in an Azure estate can
// reach Entra ID (login.microsoftonline.com), Azure Resource Manager
// (management.azure.com) and Azure Machine Learning workspaces behind private
// endpoints — and if not, where the path stops and what must change.
//
// The data flows one way:
//
//	snapshot JSON ──azure──▶ topology.Snapshot (immutable model)
//	service tags ──servicetags──▶ servicetags.Catalog (bart index)
//	                    cidr, route (bart longest-prefix match, Azure route selection)
//	                                  ▼
//	engine: effective routes → NSGs → next hop → firewall / peering / gateway → DNS
//	                                  ▼
//	answers: verdict, hops, rules, egress, return path, fixes
//	                                  ▼
//	cmd/vnetpath (a thin CLI over the answer types)
//
// Packages:
//
//   - [github.com/vnetpath/vnetpath/cidr]: address and port parsing, address-set algebra.
//   - [github.com/vnetpath/vnetpath/route]: route tables with Azure's selection rules.
//   - [github.com/vnetpath/vnetpath/servicetags]: the service-tag catalog and its index.
//   - [github.com/vnetpath/vnetpath/topology]: the frozen model of an estate.
//   - [github.com/vnetpath/vnetpath/azure]: the loader of ARM JSON snapshots (the only package that imports the Azure SDK).
//   - [github.com/vnetpath/vnetpath/engine]: effective routes, the path walk, DNS resolution and the answers.
//
// The core packages never touch the network and never panic on input.
package vnetpath
