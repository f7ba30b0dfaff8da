package engine

import (
	"fmt"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

// managedNetwork says what vnetpath can tell of a workspace whose compute
// runs in a Microsoft-managed VNet (reference §6.5, §10 item 37): that VNet
// is in no export, so no path is walked; in AllowOnlyApprovedOutbound mode
// each endpoint compute needs must be allowed by an active outbound rule
// (a service tag rule of its tag, protocol and port; an FQDN rule on 80 or
// 443; a private endpoint rule to the workspace's storage, which approved
// mode requires); in either mode, a rule that is not active does not
// apply.
func (e *Engine) managedNetwork(w *topology.Workspace) answer.ManagedNetwork {
	mn := answer.ManagedNetwork{Workspace: w.ID, IsolationMode: w.ManagedNetwork, Status: w.ManagedNetworkStatus}
	mn.Summary = fmt.Sprintf("workspace %s runs its compute in a Microsoft-managed VNet (isolation mode %s) that no export holds: its paths are not walked, and from your subnets only what users of the workspace need is checked (reference §6.5)", w.Name, w.ManagedNetwork)
	for _, r := range w.OutboundRules {
		if !strings.EqualFold(r.Status, "Active") {
			mr := answer.ManagedRule{Name: r.Name, Type: r.Type, Destination: outboundRuleTarget(r), Status: r.Status}
			if r.Type == topology.OutboundPrivateEndpoint {
				mr.Reason = fmt.Sprintf("private endpoint rule %s to %s (%s) is %s: the managed network reaches the resource privately only once the rule is Active and the endpoint's connection is approved on the resource", r.Name, topology.NameOf(r.ServiceResourceID), r.SubresourceTarget, statusOr(r.Status))
			} else {
				mr.Reason = fmt.Sprintf("outbound rule %s (%s %s) is %s, so the managed network does not apply it", r.Name, r.Type, mr.Destination, statusOr(r.Status))
			}
			mn.Rules = append(mn.Rules, mr)
		}
	}
	approved := w.ManagedNetwork == topology.IsolationAllowOnlyApprovedOutbound
	for _, en := range e.MLProfile(w) {
		if !en.Compute {
			continue
		}
		req := answer.ManagedRequirement{Destination: en.To, FQDN: en.FQDN, ServiceTag: en.Tag, Protocol: string(en.Protocol), Port: en.Port, Purpose: en.Purpose}
		switch {
		case !approved:
			req.Status, req.Reason = answer.ManagedAllowed, "the managed network allows outbound internet access (AllowInternetOutbound)"
		case !w.OutboundRulesRead:
			req.Status, req.Reason = answer.ManagedUnknown, "the workspace's outbound rules (managedNetwork.outboundRules) are not in the snapshot"
		default:
			if r := allowingRule(w, en); r != nil {
				req.Status, req.Rule, req.Reason = answer.ManagedAllowed, r.Name, "allowed by "+strings.ToLower(r.Type)+" rule "+r.Name
			} else {
				req.Status = answer.ManagedMissing
				req.Reason = "no active outbound rule allows " + describeEntry(en) + ", so the managed firewall drops it (AllowOnlyApprovedOutbound)"
				if f := fixOutboundRule(w, en); f != nil {
					mn.Fixes = append(mn.Fixes, *f)
				}
			}
		}
		mn.Required = append(mn.Required, req)
	}
	if !w.OutboundRulesRead && approved {
		mn.Fixes = append(mn.Fixes, answer.Fix{Resource: w.ID, Kind: answer.FixExport, Change: "export " + w.ID,
			Text: "export the workspace with its managed network's outbound rules", Az: "az ml workspace outbound-rule list " + rg(w.ID) + " -w " + w.Name + sub(w.ID) + " -o json"})
	}
	return mn
}

func statusOr(s string) string {
	if s == "" {
		return "without a status"
	}
	return s
}

// outboundRuleTarget names what an outbound rule allows.
func outboundRuleTarget(r topology.OutboundRule) string {
	switch r.Type {
	case topology.OutboundFQDN:
		return r.FQDN
	case topology.OutboundServiceTag:
		return "tag:" + r.ServiceTag + " " + r.Protocol + " " + r.PortRanges
	case topology.OutboundPrivateEndpoint:
		return r.ServiceResourceID + " (" + r.SubresourceTarget + ")"
	}
	return r.Name
}

func describeEntry(en ProfileEntry) string {
	s := en.To
	if en.FQDN != "" && en.FQDN != en.To {
		s += " (" + en.FQDN + ")"
	}
	return s + " " + strings.ToUpper(string(en.Protocol)) + " " + fmt.Sprint(en.Port)
}

// allowingRule returns the active outbound rule of w that allows entry en,
// or nil.
func allowingRule(w *topology.Workspace, en ProfileEntry) *topology.OutboundRule {
	storageSub := ""
	if acct := storageAccountName(w); en.Own && acct != "" && strings.HasPrefix(en.FQDN, acct+".") {
		storageSub, _, _ = strings.Cut(strings.TrimPrefix(en.FQDN, acct+"."), ".")
	}
	for i := range w.OutboundRules {
		r := &w.OutboundRules[i]
		if !strings.EqualFold(r.Status, "Active") {
			continue
		}
		switch r.Type {
		case topology.OutboundServiceTag:
			if strings.EqualFold(r.Action, "Deny") || en.Tag == "" || storageSub != "" {
				continue
			}
			if !strings.EqualFold(r.ServiceTag, en.Tag) && !strings.HasPrefix(strings.ToLower(en.Tag), strings.ToLower(r.ServiceTag)+".") {
				continue
			}
			if p := strings.ToLower(r.Protocol); p != "" && p != "*" && p != "any" && p != string(en.Protocol) {
				continue
			}
			ports, err := cidr.ParsePorts(r.PortRanges)
			if r.PortRanges != "" && (err != nil || !cidr.PortsContain(ports, uint16(en.Port))) {
				continue
			}
			return r
		case topology.OutboundFQDN:
			// FQDN rules carry HTTP and HTTPS only; storage must use
			// private endpoint rules in approved mode (reference §6.5).
			if en.FQDN == "" || storageSub != "" || en.Protocol != TCP || (en.Port != 80 && en.Port != 443) {
				continue
			}
			if fqdnMatches(r.FQDN, en.FQDN) {
				return r
			}
		case topology.OutboundPrivateEndpoint:
			if storageSub != "" && topology.SameID(r.ServiceResourceID, w.StorageAccount) && strings.EqualFold(r.SubresourceTarget, storageSub) {
				return r
			}
		}
	}
	return nil
}

// fixOutboundRule adds the outbound rule an entry needs to a workspace's
// managed network: a private endpoint rule for its storage account, else a
// service tag rule for its tag, else an FQDN rule.
func fixOutboundRule(w *topology.Workspace, en ProfileEntry) *answer.Fix {
	base := "az ml workspace outbound-rule set " + rg(w.ID) + " -w " + w.Name + sub(w.ID)
	var name, az string
	var body obj
	acct := storageAccountName(w)
	switch {
	case en.Own && acct != "" && strings.HasPrefix(en.FQDN, acct+"."):
		sub, _, _ := strings.Cut(strings.TrimPrefix(en.FQDN, acct+"."), ".")
		name = resourceName(60, "vnetpath", "pe", topology.NameOf(w.StorageAccount), sub)
		body = obj{"type": topology.OutboundPrivateEndpoint, "category": "UserDefined", "destination": obj{"serviceResourceId": w.StorageAccount, "subresourceTarget": sub, "sparkEnabled": false}}
		az = base + " --rule " + name + " --type private_endpoint --service-resource-id " + w.StorageAccount + " --subresource-target " + sub
	case en.Tag != "":
		name = resourceName(60, "vnetpath", en.Tag, string(en.Protocol), fmt.Sprint(en.Port))
		body = obj{"type": topology.OutboundServiceTag, "category": "UserDefined", "destination": obj{"serviceTag": en.Tag, "protocol": strings.ToUpper(string(en.Protocol)), "portRanges": fmt.Sprint(en.Port), "action": "Allow"}}
		az = base + " --rule " + name + " --type service_tag --service-tag " + en.Tag + " --protocol " + strings.ToUpper(string(en.Protocol)) + " --port-ranges " + fmt.Sprint(en.Port)
	case en.FQDN != "" && (en.Port == 80 || en.Port == 443):
		name = resourceName(60, "vnetpath", en.FQDN)
		body = obj{"type": topology.OutboundFQDN, "category": "UserDefined", "destination": en.FQDN}
		az = base + " --rule " + name + " --type fqdn --destination " + en.FQDN
	default:
		return nil
	}
	return &answer.Fix{Resource: w.ID, Kind: answer.FixSetProperty, Change: "add outbound rule " + name,
		Text:  "add outbound rule " + name + " to workspace " + w.Name + "'s managed network, allowing " + describeEntry(en),
		Patch: []answer.Patch{patchSet(w.ID, "properties.managedNetwork.outboundRules[\""+name+"\"]", body)}, Az: az}
}

// managedWarnings sums up a managed network's findings for the report's
// warnings.
func managedWarnings(w *topology.Workspace, mn answer.ManagedNetwork) []string {
	out := []string{mn.Summary}
	var missing, unknown []string
	for _, r := range mn.Required {
		switch r.Status {
		case answer.ManagedMissing:
			d := r.Destination
			if r.FQDN != "" && r.FQDN != d {
				d += " (" + r.FQDN + ")"
			}
			missing = append(missing, d+" "+r.Protocol+"/"+fmt.Sprint(r.Port))
		case answer.ManagedUnknown:
			unknown = append(unknown, r.Destination)
		}
	}
	if len(missing) > 0 {
		out = append(out, fmt.Sprintf("workspace %s's managed network allows only approved outbound traffic, and no active outbound rule allows %s (reference §6.5)", w.Name, strings.Join(missing, ", ")))
	}
	if len(unknown) > 0 {
		out = append(out, fmt.Sprintf("workspace %s's managed network allows only approved outbound traffic, but its outbound rules are not in the snapshot: whether compute reaches %d endpoints is unknown", w.Name, len(unknown)))
	}
	for _, r := range mn.Rules {
		out = append(out, r.Reason)
	}
	return out
}
