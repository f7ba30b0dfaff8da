// Package fakeazure is a fake Azure Resource Manager for the tests of
// package collect and of the CLI: the SDK's own fake servers (armnetwork/v8,
// armprivatedns, armsubscriptions, armresources) answer the types read with
// the SDK, and an in-process REST handler the types read with the ARM REST
// API (DNS Private Resolver, Azure ML workspaces), behind one transport that
// records every request and can inject faults. Every list answers in pages
// of Estate.PageSize items, so every test pages. Nothing leaves the process.
package fakeazure

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	netfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/privatedns/armprivatedns"
	dnsfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/privatedns/armprivatedns/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	rgfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"
	subfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions/fake"
	"github.com/vnetpath/vnetpath/topology"
)

// SecretToken is what Credential returns; no file or output may ever hold
// it.
const SecretToken = "eyJ0eXAi.SECRET-TOKEN-7d1f0c.never-print-me"

// Credential is a credential that returns SecretToken.
type Credential struct{}

func (Credential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: SecretToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// resource is one resource of the fake estate, in ARM JSON.
type resource struct {
	id, typ, sub, rg string
	parent           string // topology.Key of the parent for child resources
	raw              json.RawMessage
}

// Estate is the fake Azure's content. Fill it before the first request.
type Estate struct {
	PageSize    int                              // items per page of every list (New sets 2)
	ServiceTags armnetwork.ServiceTagsListResult // what the Service Tag Discovery API answers
	subs        []armsubscriptions.Subscription
	res         []resource
	byKey       map[string]int
	groups      map[string][]string // lower sub -> extra empty resource groups
}

// New returns an empty estate.
func New() *Estate {
	return &Estate{PageSize: 2, byKey: map[string]int{}, groups: map[string][]string{}}
}

// AddSubscription adds a subscription the credential can list.
func (e *Estate) AddSubscription(id, name string) {
	st := armsubscriptions.SubscriptionStateEnabled
	e.subs = append(e.subs, armsubscriptions.Subscription{
		ID: ptr("/subscriptions/" + id), SubscriptionID: ptr(id), DisplayName: ptr(name), State: &st})
}

// Add adds resources given as ARM JSON (with "properties").
func (e *Estate) Add(raws ...string) {
	for _, s := range raws {
		var head struct{ ID, Type string }
		if err := json.Unmarshal([]byte(s), &head); err != nil || head.ID == "" {
			panic(fmt.Sprintf("bad test resource %s: %v", s, err))
		}
		r, ok := topology.ParseResourceID(head.ID)
		if !ok {
			panic("bad test resource ID " + head.ID)
		}
		res := resource{id: head.ID, typ: head.Type, sub: r.Subscription, rg: r.ResourceGroup, raw: json.RawMessage(s)}
		if res.typ == "" {
			res.typ = r.Type()
		}
		if len(r.Names) > 1 {
			res.parent = topology.Key(topology.Parent(head.ID))
		}
		e.byKey[topology.Key(head.ID)] = len(e.res)
		e.res = append(e.res, res)
	}
}

// Resources returns the ARM JSON of every resource of the estate, in the
// order they were added.
func (e *Estate) Resources() []json.RawMessage {
	out := make([]json.RawMessage, len(e.res))
	for i, r := range e.res {
		out[i] = slices.Clone(r.raw)
	}
	return out
}

// top returns the top-level resources of a type in a subscription (and a
// resource group when rg is not "").
func (e *Estate) top(sub, typ, rg string) []json.RawMessage {
	var out []json.RawMessage
	for _, r := range e.res {
		if r.parent == "" && strings.EqualFold(r.sub, sub) && strings.EqualFold(r.typ, typ) && (rg == "" || strings.EqualFold(r.rg, rg)) {
			out = append(out, r.raw)
		}
	}
	return out
}

// children returns the children of parent whose type is typ, or, when
// typ ends in "/*", of any type under that prefix except links.
func (e *Estate) children(parent, typ string) []json.RawMessage {
	var out []json.RawMessage
	pk := topology.Key(parent)
	for _, r := range e.res {
		if r.parent != pk {
			continue
		}
		lt := strings.ToLower(r.typ)
		if prefix, ok := strings.CutSuffix(strings.ToLower(typ), "/*"); ok {
			if strings.HasPrefix(lt, prefix+"/") && !strings.HasSuffix(lt, "/virtualnetworklinks") {
				out = append(out, r.raw)
			}
		} else if lt == strings.ToLower(typ) {
			out = append(out, r.raw)
		}
	}
	return out
}

// groupsOf returns the resource groups of a subscription.
func (e *Estate) groupsOf(sub string) []string {
	seen := map[string]bool{}
	var out []string
	for _, g := range append(slices.Clone(e.groups[strings.ToLower(sub)]), e.rgNames(sub)...) {
		if !seen[strings.ToLower(g)] {
			seen[strings.ToLower(g)] = true
			out = append(out, g)
		}
	}
	return out
}

func (e *Estate) rgNames(sub string) []string {
	var out []string
	for _, r := range e.res {
		if strings.EqualFold(r.sub, sub) {
			out = append(out, r.rg)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func decodeAll[T any](raws []json.RawMessage) []*T {
	out := make([]*T, len(raws))
	for i, r := range raws {
		out[i] = new(T)
		if err := json.Unmarshal(r, out[i]); err != nil {
			panic(fmt.Sprintf("decoding %T: %v", out[i], err))
		}
	}
	return out
}

// pages answers a list in pages of e.PageSize items.
func pages[R, T any](e *Estate, raws []json.RawMessage, wrap func([]*T) R) (resp azfake.PagerResponder[R]) {
	items := decodeAll[T](raws)
	if len(items) == 0 {
		resp.AddPage(http.StatusOK, wrap(nil), nil)
		return resp
	}
	for i := 0; i < len(items); i += e.PageSize {
		resp.AddPage(http.StatusOK, wrap(items[i:min(i+e.PageSize, len(items))]), nil)
	}
	return resp
}

// one answers a Get by ID, or 404.
func one[R, T any](e *Estate, id string, wrap func(T) R) (resp azfake.Responder[R], errResp azfake.ErrorResponder) {
	i, ok := e.byKey[topology.Key(id)]
	if !ok {
		errResp.SetResponseError(http.StatusNotFound, "ResourceNotFound")
		return resp, errResp
	}
	resp.SetResponse(http.StatusOK, wrap(*decodeAll[T]([]json.RawMessage{e.res[i].raw})[0]), nil)
	return resp, errResp
}

func rid(sub, rg, typ, name string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + typ + "/" + name
}

// networkServer is the armnetwork fake of one subscription.
func networkServer(e *Estate, sub string) *netfake.ServerFactory {
	const (
		vnet = "Microsoft.Network/virtualNetworks"
		rt   = "Microsoft.Network/routeTables"
		nsg  = "Microsoft.Network/networkSecurityGroups"
		asg  = "Microsoft.Network/applicationSecurityGroups"
		nic  = "Microsoft.Network/networkInterfaces"
		pe   = "Microsoft.Network/privateEndpoints"
		fw   = "Microsoft.Network/azureFirewalls"
		pol  = "Microsoft.Network/firewallPolicies"
		ipg  = "Microsoft.Network/ipGroups"
		vgw  = "Microsoft.Network/virtualNetworkGateways"
		lgw  = "Microsoft.Network/localNetworkGateways"
		cn   = "Microsoft.Network/connections"
		nat  = "Microsoft.Network/natGateways"
		pip  = "Microsoft.Network/publicIPAddresses"
		pfx  = "Microsoft.Network/publicIPPrefixes"
		lb   = "Microsoft.Network/loadBalancers"
		mgr  = "Microsoft.Network/networkManagers"
		wan  = "Microsoft.Network/virtualWans"
		vhub = "Microsoft.Network/virtualHubs"
	)
	var f netfake.ServerFactory
	f.VirtualNetworksServer.NewListAllPager = func(*armnetwork.VirtualNetworksClientListAllOptions) azfake.PagerResponder[armnetwork.VirtualNetworksClientListAllResponse] {
		return pages(e, e.top(sub, vnet, ""), func(v []*armnetwork.VirtualNetwork) armnetwork.VirtualNetworksClientListAllResponse {
			return armnetwork.VirtualNetworksClientListAllResponse{VirtualNetworkListResult: armnetwork.VirtualNetworkListResult{Value: v}}
		})
	}
	f.VirtualNetworksServer.NewListPager = func(rg string, _ *armnetwork.VirtualNetworksClientListOptions) azfake.PagerResponder[armnetwork.VirtualNetworksClientListResponse] {
		return pages(e, e.top(sub, vnet, rg), func(v []*armnetwork.VirtualNetwork) armnetwork.VirtualNetworksClientListResponse {
			return armnetwork.VirtualNetworksClientListResponse{VirtualNetworkListResult: armnetwork.VirtualNetworkListResult{Value: v}}
		})
	}
	f.VirtualNetworksServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.VirtualNetworksClientGetOptions) (azfake.Responder[armnetwork.VirtualNetworksClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, vnet, name), func(v armnetwork.VirtualNetwork) armnetwork.VirtualNetworksClientGetResponse {
			return armnetwork.VirtualNetworksClientGetResponse{VirtualNetwork: v}
		})
	}
	f.RouteTablesServer.NewListAllPager = func(*armnetwork.RouteTablesClientListAllOptions) azfake.PagerResponder[armnetwork.RouteTablesClientListAllResponse] {
		return pages(e, e.top(sub, rt, ""), func(v []*armnetwork.RouteTable) armnetwork.RouteTablesClientListAllResponse {
			return armnetwork.RouteTablesClientListAllResponse{RouteTableListResult: armnetwork.RouteTableListResult{Value: v}}
		})
	}
	f.RouteTablesServer.NewListPager = func(rg string, _ *armnetwork.RouteTablesClientListOptions) azfake.PagerResponder[armnetwork.RouteTablesClientListResponse] {
		return pages(e, e.top(sub, rt, rg), func(v []*armnetwork.RouteTable) armnetwork.RouteTablesClientListResponse {
			return armnetwork.RouteTablesClientListResponse{RouteTableListResult: armnetwork.RouteTableListResult{Value: v}}
		})
	}
	f.RouteTablesServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.RouteTablesClientGetOptions) (azfake.Responder[armnetwork.RouteTablesClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, rt, name), func(v armnetwork.RouteTable) armnetwork.RouteTablesClientGetResponse {
			return armnetwork.RouteTablesClientGetResponse{RouteTable: v}
		})
	}
	f.SecurityGroupsServer.NewListAllPager = func(*armnetwork.SecurityGroupsClientListAllOptions) azfake.PagerResponder[armnetwork.SecurityGroupsClientListAllResponse] {
		return pages(e, e.top(sub, nsg, ""), func(v []*armnetwork.SecurityGroup) armnetwork.SecurityGroupsClientListAllResponse {
			return armnetwork.SecurityGroupsClientListAllResponse{SecurityGroupListResult: armnetwork.SecurityGroupListResult{Value: v}}
		})
	}
	f.SecurityGroupsServer.NewListPager = func(rg string, _ *armnetwork.SecurityGroupsClientListOptions) azfake.PagerResponder[armnetwork.SecurityGroupsClientListResponse] {
		return pages(e, e.top(sub, nsg, rg), func(v []*armnetwork.SecurityGroup) armnetwork.SecurityGroupsClientListResponse {
			return armnetwork.SecurityGroupsClientListResponse{SecurityGroupListResult: armnetwork.SecurityGroupListResult{Value: v}}
		})
	}
	f.SecurityGroupsServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.SecurityGroupsClientGetOptions) (azfake.Responder[armnetwork.SecurityGroupsClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, nsg, name), func(v armnetwork.SecurityGroup) armnetwork.SecurityGroupsClientGetResponse {
			return armnetwork.SecurityGroupsClientGetResponse{SecurityGroup: v}
		})
	}
	f.ApplicationSecurityGroupsServer.NewListAllPager = func(*armnetwork.ApplicationSecurityGroupsClientListAllOptions) azfake.PagerResponder[armnetwork.ApplicationSecurityGroupsClientListAllResponse] {
		return pages(e, e.top(sub, asg, ""), func(v []*armnetwork.ApplicationSecurityGroup) armnetwork.ApplicationSecurityGroupsClientListAllResponse {
			return armnetwork.ApplicationSecurityGroupsClientListAllResponse{ApplicationSecurityGroupListResult: armnetwork.ApplicationSecurityGroupListResult{Value: v}}
		})
	}
	f.ApplicationSecurityGroupsServer.NewListPager = func(rg string, _ *armnetwork.ApplicationSecurityGroupsClientListOptions) azfake.PagerResponder[armnetwork.ApplicationSecurityGroupsClientListResponse] {
		return pages(e, e.top(sub, asg, rg), func(v []*armnetwork.ApplicationSecurityGroup) armnetwork.ApplicationSecurityGroupsClientListResponse {
			return armnetwork.ApplicationSecurityGroupsClientListResponse{ApplicationSecurityGroupListResult: armnetwork.ApplicationSecurityGroupListResult{Value: v}}
		})
	}
	f.ApplicationSecurityGroupsServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.ApplicationSecurityGroupsClientGetOptions) (azfake.Responder[armnetwork.ApplicationSecurityGroupsClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, asg, name), func(v armnetwork.ApplicationSecurityGroup) armnetwork.ApplicationSecurityGroupsClientGetResponse {
			return armnetwork.ApplicationSecurityGroupsClientGetResponse{ApplicationSecurityGroup: v}
		})
	}
	f.InterfacesServer.NewListAllPager = func(*armnetwork.InterfacesClientListAllOptions) azfake.PagerResponder[armnetwork.InterfacesClientListAllResponse] {
		return pages(e, e.top(sub, nic, ""), func(v []*armnetwork.Interface) armnetwork.InterfacesClientListAllResponse {
			return armnetwork.InterfacesClientListAllResponse{InterfaceListResult: armnetwork.InterfaceListResult{Value: v}}
		})
	}
	f.InterfacesServer.NewListPager = func(rg string, _ *armnetwork.InterfacesClientListOptions) azfake.PagerResponder[armnetwork.InterfacesClientListResponse] {
		return pages(e, e.top(sub, nic, rg), func(v []*armnetwork.Interface) armnetwork.InterfacesClientListResponse {
			return armnetwork.InterfacesClientListResponse{InterfaceListResult: armnetwork.InterfaceListResult{Value: v}}
		})
	}
	f.InterfacesServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.InterfacesClientGetOptions) (azfake.Responder[armnetwork.InterfacesClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, nic, name), func(v armnetwork.Interface) armnetwork.InterfacesClientGetResponse {
			return armnetwork.InterfacesClientGetResponse{Interface: v}
		})
	}
	f.PrivateEndpointsServer.NewListBySubscriptionPager = func(*armnetwork.PrivateEndpointsClientListBySubscriptionOptions) azfake.PagerResponder[armnetwork.PrivateEndpointsClientListBySubscriptionResponse] {
		return pages(e, e.top(sub, pe, ""), func(v []*armnetwork.PrivateEndpoint) armnetwork.PrivateEndpointsClientListBySubscriptionResponse {
			return armnetwork.PrivateEndpointsClientListBySubscriptionResponse{PrivateEndpointListResult: armnetwork.PrivateEndpointListResult{Value: v}}
		})
	}
	f.PrivateEndpointsServer.NewListPager = func(rg string, _ *armnetwork.PrivateEndpointsClientListOptions) azfake.PagerResponder[armnetwork.PrivateEndpointsClientListResponse] {
		return pages(e, e.top(sub, pe, rg), func(v []*armnetwork.PrivateEndpoint) armnetwork.PrivateEndpointsClientListResponse {
			return armnetwork.PrivateEndpointsClientListResponse{PrivateEndpointListResult: armnetwork.PrivateEndpointListResult{Value: v}}
		})
	}
	f.PrivateEndpointsServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.PrivateEndpointsClientGetOptions) (azfake.Responder[armnetwork.PrivateEndpointsClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, pe, name), func(v armnetwork.PrivateEndpoint) armnetwork.PrivateEndpointsClientGetResponse {
			return armnetwork.PrivateEndpointsClientGetResponse{PrivateEndpoint: v}
		})
	}
	f.AzureFirewallsServer.NewListAllPager = func(*armnetwork.AzureFirewallsClientListAllOptions) azfake.PagerResponder[armnetwork.AzureFirewallsClientListAllResponse] {
		return pages(e, e.top(sub, fw, ""), func(v []*armnetwork.AzureFirewall) armnetwork.AzureFirewallsClientListAllResponse {
			return armnetwork.AzureFirewallsClientListAllResponse{AzureFirewallListResult: armnetwork.AzureFirewallListResult{Value: v}}
		})
	}
	f.AzureFirewallsServer.NewListPager = func(rg string, _ *armnetwork.AzureFirewallsClientListOptions) azfake.PagerResponder[armnetwork.AzureFirewallsClientListResponse] {
		return pages(e, e.top(sub, fw, rg), func(v []*armnetwork.AzureFirewall) armnetwork.AzureFirewallsClientListResponse {
			return armnetwork.AzureFirewallsClientListResponse{AzureFirewallListResult: armnetwork.AzureFirewallListResult{Value: v}}
		})
	}
	f.AzureFirewallsServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.AzureFirewallsClientGetOptions) (azfake.Responder[armnetwork.AzureFirewallsClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, fw, name), func(v armnetwork.AzureFirewall) armnetwork.AzureFirewallsClientGetResponse {
			return armnetwork.AzureFirewallsClientGetResponse{AzureFirewall: v}
		})
	}
	f.FirewallPoliciesServer.NewListAllPager = func(*armnetwork.FirewallPoliciesClientListAllOptions) azfake.PagerResponder[armnetwork.FirewallPoliciesClientListAllResponse] {
		return pages(e, e.top(sub, pol, ""), func(v []*armnetwork.FirewallPolicy) armnetwork.FirewallPoliciesClientListAllResponse {
			return armnetwork.FirewallPoliciesClientListAllResponse{FirewallPolicyListResult: armnetwork.FirewallPolicyListResult{Value: v}}
		})
	}
	f.FirewallPoliciesServer.NewListPager = func(rg string, _ *armnetwork.FirewallPoliciesClientListOptions) azfake.PagerResponder[armnetwork.FirewallPoliciesClientListResponse] {
		return pages(e, e.top(sub, pol, rg), func(v []*armnetwork.FirewallPolicy) armnetwork.FirewallPoliciesClientListResponse {
			return armnetwork.FirewallPoliciesClientListResponse{FirewallPolicyListResult: armnetwork.FirewallPolicyListResult{Value: v}}
		})
	}
	f.FirewallPoliciesServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.FirewallPoliciesClientGetOptions) (azfake.Responder[armnetwork.FirewallPoliciesClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, pol, name), func(v armnetwork.FirewallPolicy) armnetwork.FirewallPoliciesClientGetResponse {
			return armnetwork.FirewallPoliciesClientGetResponse{FirewallPolicy: v}
		})
	}
	f.FirewallPolicyRuleCollectionGroupsServer.NewListPager = func(rg, policy string, _ *armnetwork.FirewallPolicyRuleCollectionGroupsClientListOptions) azfake.PagerResponder[armnetwork.FirewallPolicyRuleCollectionGroupsClientListResponse] {
		return pages(e, e.children(rid(sub, rg, pol, policy), pol+"/ruleCollectionGroups"), func(v []*armnetwork.FirewallPolicyRuleCollectionGroup) armnetwork.FirewallPolicyRuleCollectionGroupsClientListResponse {
			return armnetwork.FirewallPolicyRuleCollectionGroupsClientListResponse{FirewallPolicyRuleCollectionGroupListResult: armnetwork.FirewallPolicyRuleCollectionGroupListResult{Value: v}}
		})
	}
	f.IPGroupsServer.NewListPager = func(*armnetwork.IPGroupsClientListOptions) azfake.PagerResponder[armnetwork.IPGroupsClientListResponse] {
		return pages(e, e.top(sub, ipg, ""), func(v []*armnetwork.IPGroup) armnetwork.IPGroupsClientListResponse {
			return armnetwork.IPGroupsClientListResponse{IPGroupListResult: armnetwork.IPGroupListResult{Value: v}}
		})
	}
	f.IPGroupsServer.NewListByResourceGroupPager = func(rg string, _ *armnetwork.IPGroupsClientListByResourceGroupOptions) azfake.PagerResponder[armnetwork.IPGroupsClientListByResourceGroupResponse] {
		return pages(e, e.top(sub, ipg, rg), func(v []*armnetwork.IPGroup) armnetwork.IPGroupsClientListByResourceGroupResponse {
			return armnetwork.IPGroupsClientListByResourceGroupResponse{IPGroupListResult: armnetwork.IPGroupListResult{Value: v}}
		})
	}
	f.IPGroupsServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.IPGroupsClientGetOptions) (azfake.Responder[armnetwork.IPGroupsClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, ipg, name), func(v armnetwork.IPGroup) armnetwork.IPGroupsClientGetResponse {
			return armnetwork.IPGroupsClientGetResponse{IPGroup: v}
		})
	}
	f.VirtualNetworkGatewaysServer.NewListPager = func(rg string, _ *armnetwork.VirtualNetworkGatewaysClientListOptions) azfake.PagerResponder[armnetwork.VirtualNetworkGatewaysClientListResponse] {
		return pages(e, e.top(sub, vgw, rg), func(v []*armnetwork.VirtualNetworkGateway) armnetwork.VirtualNetworkGatewaysClientListResponse {
			return armnetwork.VirtualNetworkGatewaysClientListResponse{VirtualNetworkGatewayListResult: armnetwork.VirtualNetworkGatewayListResult{Value: v}}
		})
	}
	f.VirtualNetworkGatewaysServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.VirtualNetworkGatewaysClientGetOptions) (azfake.Responder[armnetwork.VirtualNetworkGatewaysClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, vgw, name), func(v armnetwork.VirtualNetworkGateway) armnetwork.VirtualNetworkGatewaysClientGetResponse {
			return armnetwork.VirtualNetworkGatewaysClientGetResponse{VirtualNetworkGateway: v}
		})
	}
	f.LocalNetworkGatewaysServer.NewListPager = func(rg string, _ *armnetwork.LocalNetworkGatewaysClientListOptions) azfake.PagerResponder[armnetwork.LocalNetworkGatewaysClientListResponse] {
		return pages(e, e.top(sub, lgw, rg), func(v []*armnetwork.LocalNetworkGateway) armnetwork.LocalNetworkGatewaysClientListResponse {
			return armnetwork.LocalNetworkGatewaysClientListResponse{LocalNetworkGatewayListResult: armnetwork.LocalNetworkGatewayListResult{Value: v}}
		})
	}
	f.LocalNetworkGatewaysServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.LocalNetworkGatewaysClientGetOptions) (azfake.Responder[armnetwork.LocalNetworkGatewaysClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, lgw, name), func(v armnetwork.LocalNetworkGateway) armnetwork.LocalNetworkGatewaysClientGetResponse {
			return armnetwork.LocalNetworkGatewaysClientGetResponse{LocalNetworkGateway: v}
		})
	}
	f.VirtualNetworkGatewayConnectionsServer.NewListPager = func(rg string, _ *armnetwork.VirtualNetworkGatewayConnectionsClientListOptions) azfake.PagerResponder[armnetwork.VirtualNetworkGatewayConnectionsClientListResponse] {
		return pages(e, e.top(sub, cn, rg), func(v []*armnetwork.VirtualNetworkGatewayConnection) armnetwork.VirtualNetworkGatewayConnectionsClientListResponse {
			return armnetwork.VirtualNetworkGatewayConnectionsClientListResponse{VirtualNetworkGatewayConnectionListResult: armnetwork.VirtualNetworkGatewayConnectionListResult{Value: v}}
		})
	}
	f.VirtualNetworkGatewayConnectionsServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.VirtualNetworkGatewayConnectionsClientGetOptions) (azfake.Responder[armnetwork.VirtualNetworkGatewayConnectionsClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, cn, name), func(v armnetwork.VirtualNetworkGatewayConnection) armnetwork.VirtualNetworkGatewayConnectionsClientGetResponse {
			return armnetwork.VirtualNetworkGatewayConnectionsClientGetResponse{VirtualNetworkGatewayConnection: v}
		})
	}
	f.NatGatewaysServer.NewListAllPager = func(*armnetwork.NatGatewaysClientListAllOptions) azfake.PagerResponder[armnetwork.NatGatewaysClientListAllResponse] {
		return pages(e, e.top(sub, nat, ""), func(v []*armnetwork.NatGateway) armnetwork.NatGatewaysClientListAllResponse {
			return armnetwork.NatGatewaysClientListAllResponse{NatGatewayListResult: armnetwork.NatGatewayListResult{Value: v}}
		})
	}
	f.NatGatewaysServer.NewListPager = func(rg string, _ *armnetwork.NatGatewaysClientListOptions) azfake.PagerResponder[armnetwork.NatGatewaysClientListResponse] {
		return pages(e, e.top(sub, nat, rg), func(v []*armnetwork.NatGateway) armnetwork.NatGatewaysClientListResponse {
			return armnetwork.NatGatewaysClientListResponse{NatGatewayListResult: armnetwork.NatGatewayListResult{Value: v}}
		})
	}
	f.NatGatewaysServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.NatGatewaysClientGetOptions) (azfake.Responder[armnetwork.NatGatewaysClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, nat, name), func(v armnetwork.NatGateway) armnetwork.NatGatewaysClientGetResponse {
			return armnetwork.NatGatewaysClientGetResponse{NatGateway: v}
		})
	}
	f.PublicIPAddressesServer.NewListAllPager = func(*armnetwork.PublicIPAddressesClientListAllOptions) azfake.PagerResponder[armnetwork.PublicIPAddressesClientListAllResponse] {
		return pages(e, e.top(sub, pip, ""), func(v []*armnetwork.PublicIPAddress) armnetwork.PublicIPAddressesClientListAllResponse {
			return armnetwork.PublicIPAddressesClientListAllResponse{PublicIPAddressListResult: armnetwork.PublicIPAddressListResult{Value: v}}
		})
	}
	f.PublicIPAddressesServer.NewListPager = func(rg string, _ *armnetwork.PublicIPAddressesClientListOptions) azfake.PagerResponder[armnetwork.PublicIPAddressesClientListResponse] {
		return pages(e, e.top(sub, pip, rg), func(v []*armnetwork.PublicIPAddress) armnetwork.PublicIPAddressesClientListResponse {
			return armnetwork.PublicIPAddressesClientListResponse{PublicIPAddressListResult: armnetwork.PublicIPAddressListResult{Value: v}}
		})
	}
	f.PublicIPAddressesServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.PublicIPAddressesClientGetOptions) (azfake.Responder[armnetwork.PublicIPAddressesClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, pip, name), func(v armnetwork.PublicIPAddress) armnetwork.PublicIPAddressesClientGetResponse {
			return armnetwork.PublicIPAddressesClientGetResponse{PublicIPAddress: v}
		})
	}
	f.PublicIPPrefixesServer.NewListAllPager = func(*armnetwork.PublicIPPrefixesClientListAllOptions) azfake.PagerResponder[armnetwork.PublicIPPrefixesClientListAllResponse] {
		return pages(e, e.top(sub, pfx, ""), func(v []*armnetwork.PublicIPPrefix) armnetwork.PublicIPPrefixesClientListAllResponse {
			return armnetwork.PublicIPPrefixesClientListAllResponse{PublicIPPrefixListResult: armnetwork.PublicIPPrefixListResult{Value: v}}
		})
	}
	f.PublicIPPrefixesServer.NewListPager = func(rg string, _ *armnetwork.PublicIPPrefixesClientListOptions) azfake.PagerResponder[armnetwork.PublicIPPrefixesClientListResponse] {
		return pages(e, e.top(sub, pfx, rg), func(v []*armnetwork.PublicIPPrefix) armnetwork.PublicIPPrefixesClientListResponse {
			return armnetwork.PublicIPPrefixesClientListResponse{PublicIPPrefixListResult: armnetwork.PublicIPPrefixListResult{Value: v}}
		})
	}
	f.PublicIPPrefixesServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.PublicIPPrefixesClientGetOptions) (azfake.Responder[armnetwork.PublicIPPrefixesClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, pfx, name), func(v armnetwork.PublicIPPrefix) armnetwork.PublicIPPrefixesClientGetResponse {
			return armnetwork.PublicIPPrefixesClientGetResponse{PublicIPPrefix: v}
		})
	}
	f.LoadBalancersServer.NewListAllPager = func(*armnetwork.LoadBalancersClientListAllOptions) azfake.PagerResponder[armnetwork.LoadBalancersClientListAllResponse] {
		return pages(e, e.top(sub, lb, ""), func(v []*armnetwork.LoadBalancer) armnetwork.LoadBalancersClientListAllResponse {
			return armnetwork.LoadBalancersClientListAllResponse{LoadBalancerListResult: armnetwork.LoadBalancerListResult{Value: v}}
		})
	}
	f.LoadBalancersServer.NewListPager = func(rg string, _ *armnetwork.LoadBalancersClientListOptions) azfake.PagerResponder[armnetwork.LoadBalancersClientListResponse] {
		return pages(e, e.top(sub, lb, rg), func(v []*armnetwork.LoadBalancer) armnetwork.LoadBalancersClientListResponse {
			return armnetwork.LoadBalancersClientListResponse{LoadBalancerListResult: armnetwork.LoadBalancerListResult{Value: v}}
		})
	}
	f.LoadBalancersServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.LoadBalancersClientGetOptions) (azfake.Responder[armnetwork.LoadBalancersClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, lb, name), func(v armnetwork.LoadBalancer) armnetwork.LoadBalancersClientGetResponse {
			return armnetwork.LoadBalancersClientGetResponse{LoadBalancer: v}
		})
	}
	f.ManagersServer.NewListBySubscriptionPager = func(*armnetwork.ManagersClientListBySubscriptionOptions) azfake.PagerResponder[armnetwork.ManagersClientListBySubscriptionResponse] {
		return pages(e, e.top(sub, mgr, ""), func(v []*armnetwork.Manager) armnetwork.ManagersClientListBySubscriptionResponse {
			return armnetwork.ManagersClientListBySubscriptionResponse{ManagerListResult: armnetwork.ManagerListResult{Value: v}}
		})
	}
	f.ManagersServer.NewListPager = func(rg string, _ *armnetwork.ManagersClientListOptions) azfake.PagerResponder[armnetwork.ManagersClientListResponse] {
		return pages(e, e.top(sub, mgr, rg), func(v []*armnetwork.Manager) armnetwork.ManagersClientListResponse {
			return armnetwork.ManagersClientListResponse{ManagerListResult: armnetwork.ManagerListResult{Value: v}}
		})
	}
	f.ManagersServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.ManagersClientGetOptions) (azfake.Responder[armnetwork.ManagersClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, mgr, name), func(v armnetwork.Manager) armnetwork.ManagersClientGetResponse {
			return armnetwork.ManagersClientGetResponse{Manager: v}
		})
	}
	f.SecurityAdminConfigurationsServer.NewListPager = func(rg, manager string, _ *armnetwork.SecurityAdminConfigurationsClientListOptions) azfake.PagerResponder[armnetwork.SecurityAdminConfigurationsClientListResponse] {
		return pages(e, e.children(rid(sub, rg, mgr, manager), mgr+"/securityAdminConfigurations"), func(v []*armnetwork.SecurityAdminConfiguration) armnetwork.SecurityAdminConfigurationsClientListResponse {
			return armnetwork.SecurityAdminConfigurationsClientListResponse{SecurityAdminConfigurationListResult: armnetwork.SecurityAdminConfigurationListResult{Value: v}}
		})
	}
	f.AdminRuleCollectionsServer.NewListPager = func(rg, manager, config string, _ *armnetwork.AdminRuleCollectionsClientListOptions) azfake.PagerResponder[armnetwork.AdminRuleCollectionsClientListResponse] {
		parent := rid(sub, rg, mgr, manager) + "/securityAdminConfigurations/" + config
		return pages(e, e.children(parent, mgr+"/securityAdminConfigurations/ruleCollections"), func(v []*armnetwork.AdminRuleCollection) armnetwork.AdminRuleCollectionsClientListResponse {
			return armnetwork.AdminRuleCollectionsClientListResponse{AdminRuleCollectionListResult: armnetwork.AdminRuleCollectionListResult{Value: v}}
		})
	}
	f.VirtualWansServer.NewListPager = func(*armnetwork.VirtualWansClientListOptions) azfake.PagerResponder[armnetwork.VirtualWansClientListResponse] {
		return pages(e, e.top(sub, wan, ""), func(v []*armnetwork.VirtualWAN) armnetwork.VirtualWansClientListResponse {
			return armnetwork.VirtualWansClientListResponse{ListVirtualWANsResult: armnetwork.ListVirtualWANsResult{Value: v}}
		})
	}
	f.VirtualWansServer.NewListByResourceGroupPager = func(rg string, _ *armnetwork.VirtualWansClientListByResourceGroupOptions) azfake.PagerResponder[armnetwork.VirtualWansClientListByResourceGroupResponse] {
		return pages(e, e.top(sub, wan, rg), func(v []*armnetwork.VirtualWAN) armnetwork.VirtualWansClientListByResourceGroupResponse {
			return armnetwork.VirtualWansClientListByResourceGroupResponse{ListVirtualWANsResult: armnetwork.ListVirtualWANsResult{Value: v}}
		})
	}
	f.VirtualWansServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.VirtualWansClientGetOptions) (azfake.Responder[armnetwork.VirtualWansClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, wan, name), func(v armnetwork.VirtualWAN) armnetwork.VirtualWansClientGetResponse {
			return armnetwork.VirtualWansClientGetResponse{VirtualWAN: v}
		})
	}
	f.VirtualHubsServer.NewListPager = func(*armnetwork.VirtualHubsClientListOptions) azfake.PagerResponder[armnetwork.VirtualHubsClientListResponse] {
		return pages(e, e.top(sub, vhub, ""), func(v []*armnetwork.VirtualHub) armnetwork.VirtualHubsClientListResponse {
			return armnetwork.VirtualHubsClientListResponse{ListVirtualHubsResult: armnetwork.ListVirtualHubsResult{Value: v}}
		})
	}
	f.VirtualHubsServer.NewListByResourceGroupPager = func(rg string, _ *armnetwork.VirtualHubsClientListByResourceGroupOptions) azfake.PagerResponder[armnetwork.VirtualHubsClientListByResourceGroupResponse] {
		return pages(e, e.top(sub, vhub, rg), func(v []*armnetwork.VirtualHub) armnetwork.VirtualHubsClientListByResourceGroupResponse {
			return armnetwork.VirtualHubsClientListByResourceGroupResponse{ListVirtualHubsResult: armnetwork.ListVirtualHubsResult{Value: v}}
		})
	}
	f.VirtualHubsServer.Get = func(_ context.Context, rg, name string, _ *armnetwork.VirtualHubsClientGetOptions) (azfake.Responder[armnetwork.VirtualHubsClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, vhub, name), func(v armnetwork.VirtualHub) armnetwork.VirtualHubsClientGetResponse {
			return armnetwork.VirtualHubsClientGetResponse{VirtualHub: v}
		})
	}
	f.ServiceTagsServer.List = func(_ context.Context, location string, _ *armnetwork.ServiceTagsClientListOptions) (resp azfake.Responder[armnetwork.ServiceTagsClientListResponse], errResp azfake.ErrorResponder) {
		resp.SetResponse(http.StatusOK, armnetwork.ServiceTagsClientListResponse{ServiceTagsListResult: e.ServiceTags}, nil)
		return resp, errResp
	}
	return &f
}

// dnsServer is the armprivatedns fake of one subscription.
func dnsServer(e *Estate, sub string) *dnsfake.ServerFactory {
	const zone = "Microsoft.Network/privateDnsZones"
	var f dnsfake.ServerFactory
	f.PrivateZonesServer.NewListPager = func(*armprivatedns.PrivateZonesClientListOptions) azfake.PagerResponder[armprivatedns.PrivateZonesClientListResponse] {
		return pages(e, e.top(sub, zone, ""), func(v []*armprivatedns.PrivateZone) armprivatedns.PrivateZonesClientListResponse {
			return armprivatedns.PrivateZonesClientListResponse{PrivateZoneListResult: armprivatedns.PrivateZoneListResult{Value: v}}
		})
	}
	f.PrivateZonesServer.NewListByResourceGroupPager = func(rg string, _ *armprivatedns.PrivateZonesClientListByResourceGroupOptions) azfake.PagerResponder[armprivatedns.PrivateZonesClientListByResourceGroupResponse] {
		return pages(e, e.top(sub, zone, rg), func(v []*armprivatedns.PrivateZone) armprivatedns.PrivateZonesClientListByResourceGroupResponse {
			return armprivatedns.PrivateZonesClientListByResourceGroupResponse{PrivateZoneListResult: armprivatedns.PrivateZoneListResult{Value: v}}
		})
	}
	f.PrivateZonesServer.Get = func(_ context.Context, rg, name string, _ *armprivatedns.PrivateZonesClientGetOptions) (azfake.Responder[armprivatedns.PrivateZonesClientGetResponse], azfake.ErrorResponder) {
		return one(e, rid(sub, rg, zone, name), func(v armprivatedns.PrivateZone) armprivatedns.PrivateZonesClientGetResponse {
			return armprivatedns.PrivateZonesClientGetResponse{PrivateZone: v}
		})
	}
	f.RecordSetsServer.NewListPager = func(rg, name string, _ *armprivatedns.RecordSetsClientListOptions) azfake.PagerResponder[armprivatedns.RecordSetsClientListResponse] {
		return pages(e, e.children(rid(sub, rg, zone, name), zone+"/*"), func(v []*armprivatedns.RecordSet) armprivatedns.RecordSetsClientListResponse {
			return armprivatedns.RecordSetsClientListResponse{RecordSetListResult: armprivatedns.RecordSetListResult{Value: v}}
		})
	}
	f.VirtualNetworkLinksServer.NewListPager = func(rg, name string, _ *armprivatedns.VirtualNetworkLinksClientListOptions) azfake.PagerResponder[armprivatedns.VirtualNetworkLinksClientListResponse] {
		return pages(e, e.children(rid(sub, rg, zone, name), zone+"/virtualNetworkLinks"), func(v []*armprivatedns.VirtualNetworkLink) armprivatedns.VirtualNetworkLinksClientListResponse {
			return armprivatedns.VirtualNetworkLinksClientListResponse{VirtualNetworkLinkListResult: armprivatedns.VirtualNetworkLinkListResult{Value: v}}
		})
	}
	return &f
}

// subscriptionServer is the armsubscriptions fake.
func subscriptionServer(e *Estate) *subfake.ServerFactory {
	var f subfake.ServerFactory
	f.Server.NewListPager = func(*armsubscriptions.ClientListOptions) (resp azfake.PagerResponder[armsubscriptions.ClientListResponse]) {
		for i := 0; i < len(e.subs); i += e.PageSize {
			var page []*armsubscriptions.Subscription
			for j := i; j < min(i+e.PageSize, len(e.subs)); j++ {
				page = append(page, &e.subs[j])
			}
			resp.AddPage(http.StatusOK, armsubscriptions.ClientListResponse{SubscriptionListResult: armsubscriptions.SubscriptionListResult{Value: page}}, nil)
		}
		return resp
	}
	f.Server.Get = func(_ context.Context, id string, _ *armsubscriptions.ClientGetOptions) (resp azfake.Responder[armsubscriptions.ClientGetResponse], errResp azfake.ErrorResponder) {
		for _, s := range e.subs {
			if strings.EqualFold(*s.SubscriptionID, id) {
				resp.SetResponse(http.StatusOK, armsubscriptions.ClientGetResponse{Subscription: s}, nil)
				return resp, errResp
			}
		}
		errResp.SetResponseError(http.StatusNotFound, "SubscriptionNotFound")
		return resp, errResp
	}
	return &f
}

// groupServer is the armresources fake of one subscription.
func groupServer(e *Estate, sub string) *rgfake.ServerFactory {
	var f rgfake.ServerFactory
	f.ResourceGroupsServer.NewListPager = func(*armresources.ResourceGroupsClientListOptions) (resp azfake.PagerResponder[armresources.ResourceGroupsClientListResponse]) {
		var all []*armresources.ResourceGroup
		for _, g := range e.groupsOf(sub) {
			all = append(all, &armresources.ResourceGroup{ID: ptr("/subscriptions/" + sub + "/resourceGroups/" + g), Name: ptr(g)})
		}
		for i := 0; i < len(all) || i == 0; i += e.PageSize {
			resp.AddPage(http.StatusOK, armresources.ResourceGroupsClientListResponse{ResourceGroupListResult: armresources.ResourceGroupListResult{Value: all[i:min(i+e.PageSize, len(all))]}}, nil)
		}
		return resp
	}
	return &f
}

// restHandler serves the REST-only types (DNS Private Resolver and Azure
// ML workspaces) from the estate: lists by subscription or resource group,
// GET by ID, and child lists, paged with $skiptoken.
func restHandler(e *Estate) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			http.Error(w, `{"error":{"code":"MethodNotAllowed","message":"only GET"}}`, http.StatusMethodNotAllowed)
			return
		}
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		// subscriptions/S[/resourceGroups/G]/providers/P/T[/N[/C]]
		if len(parts) < 5 || !strings.EqualFold(parts[0], "subscriptions") {
			http.NotFound(w, r)
			return
		}
		sub, rg, rest := parts[1], "", parts[2:]
		if strings.EqualFold(rest[0], "resourceGroups") {
			rg, rest = rest[1], rest[2:]
		}
		if len(rest) < 3 || !strings.EqualFold(rest[0], "providers") {
			http.NotFound(w, r)
			return
		}
		typ := rest[1] + "/" + rest[2]
		var items []json.RawMessage
		switch len(rest) {
		case 3:
			items = e.top(sub, typ, rg)
		case 4:
			i, ok := e.byKey[topology.Key(r.URL.Path)]
			if !ok {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprint(w, `{"error":{"code":"ResourceNotFound","message":"The resource was not found."}}`)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write(e.res[i].raw)
			return
		case 5:
			items = e.children("/subscriptions/"+sub+"/resourceGroups/"+rg+"/providers/"+typ+"/"+rest[3], typ+"/"+rest[4])
		default:
			http.NotFound(w, r)
			return
		}
		skip, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
		page := struct {
			Value    []json.RawMessage `json:"value"`
			NextLink string            `json:"nextLink,omitempty"`
		}{Value: items[min(skip, len(items)):min(skip+e.PageSize, len(items))]}
		if skip+e.PageSize < len(items) {
			q := r.URL.Query()
			q.Set("$skiptoken", strconv.Itoa(skip+e.PageSize))
			page.NextLink = "https://" + r.Host + r.URL.Path + "?" + q.Encode()
		}
		if page.Value == nil {
			page.Value = []json.RawMessage{}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(page)
	})
}

// Call is one request the fake received.
type Call struct {
	Method, Path string
	Query        string // the raw query
	APIVersion   string // the api-version query parameter
	Client       string // the SDK client ("VirtualNetworksClient"), "" for REST requests
	Auth         string // the Authorization header
}

// Transport is the fake Azure: it routes each request to the fake server
// of its SDK client and subscription, or to the REST handler, after
// recording it and giving fault a chance to answer instead.
type Transport struct {
	e *Estate
	// Fault, when set, sees each request first: an answer or error it
	// returns replaces the fake's; (nil, nil) lets the fake answer.
	Fault func(req *http.Request) (*http.Response, error)

	mu    sync.Mutex
	calls []Call
	net   map[string]*netfake.ServerFactoryTransport
	dns   map[string]*dnsfake.ServerFactoryTransport
	rgs   map[string]*rgfake.ServerFactoryTransport
	subs  *subfake.ServerFactoryTransport
	rest  http.Handler
}

// NewTransport returns a transport serving e.
func NewTransport(e *Estate) *Transport {
	return &Transport{e: e, net: map[string]*netfake.ServerFactoryTransport{}, dns: map[string]*dnsfake.ServerFactoryTransport{},
		rgs: map[string]*rgfake.ServerFactoryTransport{}, subs: subfake.NewServerFactoryTransport(subscriptionServer(e)), rest: restHandler(e)}
}

// Options returns client options that send every request to t, with
// retries fast enough for tests.
func (t *Transport) Options() *arm.ClientOptions {
	return &arm.ClientOptions{ClientOptions: policy.ClientOptions{
		Transport: t,
		Retry:     policy.RetryOptions{MaxRetries: 3, RetryDelay: time.Millisecond, MaxRetryDelay: 5 * time.Second},
	}}
}

func (t *Transport) Do(req *http.Request) (*http.Response, error) {
	name, _ := req.Context().Value(runtime.CtxAPINameKey{}).(string)
	client, _, _ := strings.Cut(name, ".")
	t.mu.Lock()
	t.calls = append(t.calls, Call{Method: req.Method, Path: req.URL.Path, Query: req.URL.RawQuery, APIVersion: req.URL.Query().Get("api-version"),
		Client: client, Auth: req.Header.Get("Authorization")})
	t.mu.Unlock()
	if t.Fault != nil {
		if resp, err := t.Fault(req); resp != nil || err != nil {
			return resp, err
		}
	}
	sub := ""
	if p := strings.Split(strings.Trim(req.URL.Path, "/"), "/"); len(p) > 1 && strings.EqualFold(p[0], "subscriptions") {
		sub = p[1]
	}
	key := strings.ToLower(sub)
	t.mu.Lock()
	var next policy.Transporter
	switch client {
	case "":
		t.mu.Unlock()
		rec := httptest.NewRecorder()
		r := req.Clone(req.Context())
		r.Host = req.URL.Host
		t.rest.ServeHTTP(rec, r)
		resp := rec.Result()
		resp.Request = req
		return resp, nil
	case "Client":
		next = t.subs
	case "ResourceGroupsClient":
		if t.rgs[key] == nil {
			t.rgs[key] = rgfake.NewServerFactoryTransport(groupServer(t.e, sub))
		}
		next = t.rgs[key]
	case "PrivateZonesClient", "RecordSetsClient", "VirtualNetworkLinksClient":
		if t.dns[key] == nil {
			t.dns[key] = dnsfake.NewServerFactoryTransport(dnsServer(t.e, sub))
		}
		next = t.dns[key]
	default:
		if t.net[key] == nil {
			t.net[key] = netfake.NewServerFactoryTransport(networkServer(t.e, sub))
		}
		next = t.net[key]
	}
	t.mu.Unlock()
	return next.Do(req)
}

// Calls returns the calls received so far.
func (t *Transport) Calls() []Call {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.calls)
}

// ARMError returns an ARM error answer to req: status, the error code (in
// the body and the x-ms-error-code header), a message, and extra headers
// given as name, value pairs.
func ARMError(req *http.Request, status int, code, msg string, header ...string) *http.Response {
	body := fmt.Sprintf(`{"error":{"code":%q,"message":%q}}`, code, msg)
	resp := &http.Response{StatusCode: status, Status: strconv.Itoa(status) + " " + http.StatusText(status),
		Header: http.Header{"Content-Type": {"application/json"}, "X-Ms-Error-Code": {code}}, Request: req,
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
	for i := 0; i+1 < len(header); i += 2 {
		resp.Header.Set(header[i], header[i+1])
	}
	return resp
}

// Unflatten turns a resource as the az CLI prints it (members of
// "properties" beside "id") back into ARM JSON, guided by the SDK model
// type t: keys that are not fields of the model move into "properties",
// at every level that has one.
func Unflatten(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch x := v.(type) {
	case map[string]any:
		switch t.Kind() {
		case reflect.Map:
			for k, y := range x {
				x[k] = Unflatten(y, t.Elem())
			}
		case reflect.Struct:
			fields := map[string]reflect.Type{}
			for i := range t.NumField() {
				fields[strings.ToLower(t.Field(i).Name)] = t.Field(i).Type
			}
			if _, ok := fields["properties"]; ok {
				has := false
				for k := range x {
					has = has || strings.EqualFold(k, "properties")
				}
				if !has {
					props := map[string]any{}
					for k, y := range x {
						if _, field := fields[strings.ToLower(k)]; !field {
							props[k] = y
							delete(x, k)
						}
					}
					if len(props) > 0 {
						x["properties"] = props
					}
				}
			}
			for k, y := range x {
				if ft, ok := fields[strings.ToLower(k)]; ok {
					x[k] = Unflatten(y, ft)
				}
			}
		}
	case []any:
		if t.Kind() == reflect.Slice {
			for i := range x {
				x[i] = Unflatten(x[i], t.Elem())
			}
		}
	}
	return v
}

// models maps the SDK-read types to their model types, for unflatten.
var models = map[string]reflect.Type{
	"microsoft.network/virtualnetworks":                                             reflect.TypeFor[armnetwork.VirtualNetwork](),
	"microsoft.network/routetables":                                                 reflect.TypeFor[armnetwork.RouteTable](),
	"microsoft.network/networksecuritygroups":                                       reflect.TypeFor[armnetwork.SecurityGroup](),
	"microsoft.network/applicationsecuritygroups":                                   reflect.TypeFor[armnetwork.ApplicationSecurityGroup](),
	"microsoft.network/networkinterfaces":                                           reflect.TypeFor[armnetwork.Interface](),
	"microsoft.network/privateendpoints":                                            reflect.TypeFor[armnetwork.PrivateEndpoint](),
	"microsoft.network/azurefirewalls":                                              reflect.TypeFor[armnetwork.AzureFirewall](),
	"microsoft.network/firewallpolicies":                                            reflect.TypeFor[armnetwork.FirewallPolicy](),
	"microsoft.network/firewallpolicies/rulecollectiongroups":                       reflect.TypeFor[armnetwork.FirewallPolicyRuleCollectionGroup](),
	"microsoft.network/ipgroups":                                                    reflect.TypeFor[armnetwork.IPGroup](),
	"microsoft.network/virtualnetworkgateways":                                      reflect.TypeFor[armnetwork.VirtualNetworkGateway](),
	"microsoft.network/localnetworkgateways":                                        reflect.TypeFor[armnetwork.LocalNetworkGateway](),
	"microsoft.network/connections":                                                 reflect.TypeFor[armnetwork.VirtualNetworkGatewayConnection](),
	"microsoft.network/natgateways":                                                 reflect.TypeFor[armnetwork.NatGateway](),
	"microsoft.network/publicipaddresses":                                           reflect.TypeFor[armnetwork.PublicIPAddress](),
	"microsoft.network/publicipprefixes":                                            reflect.TypeFor[armnetwork.PublicIPPrefix](),
	"microsoft.network/loadbalancers":                                               reflect.TypeFor[armnetwork.LoadBalancer](),
	"microsoft.network/networkmanagers":                                             reflect.TypeFor[armnetwork.Manager](),
	"microsoft.network/networkmanagers/securityadminconfigurations":                 reflect.TypeFor[armnetwork.SecurityAdminConfiguration](),
	"microsoft.network/networkmanagers/securityadminconfigurations/rulecollections": reflect.TypeFor[armnetwork.AdminRuleCollection](),
	"microsoft.network/virtualwans":                                                 reflect.TypeFor[armnetwork.VirtualWAN](),
	"microsoft.network/virtualhubs":                                                 reflect.TypeFor[armnetwork.VirtualHub](),
	"microsoft.network/privatednszones":                                             reflect.TypeFor[armprivatedns.PrivateZone](),
	"microsoft.network/privatednszones/virtualnetworklinks":                         reflect.TypeFor[armprivatedns.VirtualNetworkLink](),
	"microsoft.network/privatednszones/a":                                           reflect.TypeFor[armprivatedns.RecordSet](),
	"microsoft.network/privatednszones/aaaa":                                        reflect.TypeFor[armprivatedns.RecordSet](),
	"microsoft.network/privatednszones/cname":                                       reflect.TypeFor[armprivatedns.RecordSet](),
	"microsoft.network/privatednszones/ptr":                                         reflect.TypeFor[armprivatedns.RecordSet](),
	"microsoft.network/privatednszones/txt":                                         reflect.TypeFor[armprivatedns.RecordSet](),
	"microsoft.network/privatednszones/soa":                                         reflect.TypeFor[armprivatedns.RecordSet](),
}

// ARMJSON returns a resource of any shape the loader reads as ARM JSON for
// the fake: SDK-read types unflattened; REST types as they are.
func ARMJSON(raw json.RawMessage) string {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		panic(err)
	}
	var typ string
	for k, v := range m {
		if strings.EqualFold(k, "type") {
			typ, _ = v.(string)
		}
	}
	if t, ok := models[strings.ToLower(typ)]; ok {
		Unflatten(m, t)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}
