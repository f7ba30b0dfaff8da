// Package armtemplate evaluates ARM deployment templates (azuredeploy.json
// and its parameters file) into the resources the deployment will create,
// as a [deploy.Result] the snapshot loader reads, so that vnetpath answers
// for a change before it is deployed.
//
// [Evaluate] implements what templates use to describe networks:
// parameters (defaults, a parameters file, NAME=VALUE overrides, declared
// types and allowedValues), variables, copy loops over resources,
// properties, variables and outputs (copyIndex with loop names and
// offsets), conditions, nested inline deployments
// (Microsoft.Resources/deployments with properties.template, inner and
// outer expression scope, resourceGroup and subscriptionId targets,
// outputs read through reference()), child resources declared at the top
// level ("vnet/subnet") or in a parent's "resources", and extension
// resources. dependsOn is ignored: resources are taken in declaration
// order.
//
// Expressions ("[...]", with "[[" escaping a literal "[") are parsed by a
// tokenizer and a recursive-descent parser into a syntax tree, then
// evaluated. The template functions cover strings, arrays and objects,
// logic and comparison, numbers, CIDR (parseCidr, cidrSubnet, cidrHost),
// scope (resourceGroup, subscription, deployment, environment of the public
// cloud) and resource IDs. uniqueString and guid follow Azure's algorithms
// (a 64-bit MurmurHash variant in base 32; a version-5 UUID in ARM's
// namespace), so names built with them are the names Azure will use.
//
// A value that is not known before deployment, such as reference() of a
// resource outside the template, listKeys(), utcNow(), a secure parameter
// not given, or a property Azure sets (a public IP's address), is an
// unknown value carried through the expressions. A resource of a type the
// loader models that holds one (outside tags, descriptions and other
// properties the model does not read) is not emitted: its ID is declared
// missing with the path, the expression and the reason. Workspaces (their
// workspaceId is assigned by Azure) and public IP addresses (allocated by
// Azure) are missing for the same reason. reference() of a resource the
// template creates gives its declared properties and the values vnetpath
// predicts.
//
// Dynamic private addresses of NICs, firewalls (and their management
// configuration), DNS resolver inbound endpoints and private endpoints in a
// subnet the template creates are predicted as Azure allocates them: the
// lowest free address from the fifth of the subnet (.4 of a /24) up, in
// deployment order, skipping static addresses. A private endpoint takes one
// address per name group of its target (two for a container registry,
// three for an Azure ML workspace), and its DNS zone group writes A
// records for the names vnetpath knows. Each prediction is an assumption of
// the result. A subnet the template does not create, or one where a
// resource takes an unknown number of addresses first (AKS, scale sets,
// compute clusters, gateways), makes the address unknown.
//
// Peerings whose other half the template also creates are Connected;
// others are Initiated, with an assumption saying so.
//
// Errors evaluating one resource (an unsupported template function, a
// malformed expression) name the file, the JSON path and the expression;
// the resource is declared missing and the rest of the result stands.
package armtemplate
