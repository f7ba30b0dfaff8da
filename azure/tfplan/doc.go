// Package tfplan reads Terraform plans (the JSON of `terraform show -json
// PLANFILE`, through github.com/hashicorp/terraform-json) and returns the
// Azure resources they leave, as a [deploy.Result] the snapshot loader
// reads, so that vnetpath answers for a change before it is applied.
//
// [Evaluate] maps the azurerm resources vnetpath models to ARM resources,
// with the attribute names of the azurerm provider (versions 3 and 4):
// virtual networks, subnets and their route table, NSG and NAT gateway
// associations, peerings, route tables and routes, NSGs and rules, NICs
// and their NSG and ASG associations, application security groups, IP
// groups, Azure Firewall (with policy, rule collection groups, or classic
// rule collections), firewall policies, NAT gateways and their public IP
// associations, public IPs, private endpoints (and the records of their DNS
// zone groups), private DNS zones, records (A, AAAA, CNAME, PTR) and
// virtual network links, DNS Private Resolvers with their endpoints,
// forwarding rulesets, rules and links, Azure ML workspaces, VPN and
// ExpressRoute gateways, local network gateways and connections.
//
// The planned values (planned_values, child modules included) give the
// estate after the plan; prior_state gives it before (Result.Before);
// resource changes that only delete give Result.Deletes. Resources of other
// providers and azurerm types vnetpath does not model are counted in
// Skipped; data sources are read for references only.
//
// Values the plan leaves unknown (after_unknown):
//
//   - An unknown "id" is built as Azure will name the resource, from the
//     subscription (Options.SubscriptionID, else the one the plan's known
//     IDs name most often, else DefaultSubscriptionID), the resource group
//     and the names; an assumption says so.
//   - An unknown reference to another resource (subnet_id of a new subnet)
//     is resolved through the plan's configuration: the expression's
//     references are followed through module outputs and input variables
//     to a resource instance, whose ID is built.
//   - An attribute the configuration does not set is a provider default
//     computed at apply (dns_servers, the subnet list of a VNet that
//     azurerm_subnet resources fill) and reads as unset.
//   - Any other unknown value the model needs, such as an address Azure
//     assigns (a dynamic NIC address, a firewall's private IP, a public IP
//     address, a private endpoint's addresses, a workspace ID), makes the
//     resource missing, with the attribute named.
//
// Peerings whose other half the plan also holds are Connected; others are
// Initiated, with an assumption. Auto-approved private endpoint
// connections are taken as Approved.
package tfplan
