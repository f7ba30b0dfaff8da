// Package collect reads an Azure estate, read-only, and writes it as a
// snapshot directory that the loader (package azure) and every vnetpath
// command read as it is.
//
// [Run] lists, in the subscriptions (and resource groups) it is given, every
// type of resource vnetpath models ([Types]): VNets with their subnets and
// peerings, route tables, NSGs, application security groups, NICs, private
// endpoints, Azure Firewalls, firewall policies with their rule collection
// groups, IP groups, virtual network and local network gateways and their
// connections, NAT gateways, public IPs and public IP prefixes, private DNS
// zones with their record sets of every type and virtual network links, DNS
// Private Resolvers with their endpoints, forwarding rulesets with their
// rules and links, Azure Machine Learning workspaces, load balancers,
// network managers with their security admin configurations and those
// configurations' rule collections, Virtual WANs and virtual hubs. The
// network and private DNS types are read
// with the Azure SDK for Go (armnetwork v8, armprivatedns); the resolver and
// workspace types, whose SDK modules vnetpath does not use, with the ARM
// REST API through azcore's pipeline.
//
// Resources outside that scope that collected ones reference (a hub VNet in
// another subscription, a shared private zone, a parent firewall policy) are
// then read by ID, with their children; what cannot be read is listed in the
// manifest with the reason. Only GET requests are sent: a policy in every
// pipeline refuses any other method. Package collect and package azure are
// the only packages of vnetpath that import the Azure SDK, and collect is the
// only one that touches the network.
//
// [FetchServiceTags] reads the service-tag catalog from the Service Tag
// Discovery API, in the shape package servicetags reads.
package collect
