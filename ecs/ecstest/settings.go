package ecstest

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/ecscore/ecscore/ecs"
)

// Account settings (the developer guide's "Accessing Amazon ECS features
// through account settings"): values of the model's SettingName enum, set
// per principal (a user, a role, or the root user, whose settings are the
// account's defaults) in one Region. ecstest has one caller, the root
// user: a request that names no principal acts for it.

// settingDefaults are the values a setting has until it is set, as the
// developer guide gives them: the long ARN formats enabled (every account
// is opted in since 2021), awsvpcTrunking, containerInsights,
// fargateFIPSMode and fargateEventWindows disabled, tagResourceAuthorization
// on, a 7-day fargateTaskRetirementWaitPeriod, guardDutyActivate off (until
// GuardDuty turns it on), and the non-blocking defaultLogDriverMode (since
// June 25, 2025).
var settingDefaults = map[ecs.SettingName]string{
	ecs.SettingNameServiceLongArnFormat:            "enabled",
	ecs.SettingNameTaskLongArnFormat:               "enabled",
	ecs.SettingNameContainerInstanceLongArnFormat:  "enabled",
	ecs.SettingNameAwsvpcTrunking:                  "disabled",
	ecs.SettingNameContainerInsights:               "disabled",
	ecs.SettingNameFargateFIPSMode:                 "disabled",
	ecs.SettingNameTagResourceAuthorization:        "on",
	ecs.SettingNameFargateTaskRetirementWaitPeriod: "7",
	ecs.SettingNameGuardDutyActivate:               "off",
	ecs.SettingNameDefaultLogDriverMode:            "non-blocking",
	ecs.SettingNameFargateEventWindows:             "disabled",
}

// settingValues are the values each setting takes. The long ARN formats
// take only enabled: since April 1, 2021 an account can no longer opt out.
var settingValues = map[ecs.SettingName][]string{
	ecs.SettingNameServiceLongArnFormat:            {"enabled"},
	ecs.SettingNameTaskLongArnFormat:               {"enabled"},
	ecs.SettingNameContainerInstanceLongArnFormat:  {"enabled"},
	ecs.SettingNameAwsvpcTrunking:                  {"enabled", "disabled"},
	ecs.SettingNameContainerInsights:               {"enabled", "disabled", "enhanced"},
	ecs.SettingNameFargateFIPSMode:                 {"enabled", "disabled"},
	ecs.SettingNameTagResourceAuthorization:        {"on", "off"},
	ecs.SettingNameFargateTaskRetirementWaitPeriod: {"0", "7", "14"},
	ecs.SettingNameGuardDutyActivate:               {"on", "off"},
	ecs.SettingNameDefaultLogDriverMode:            {"blocking", "non-blocking"},
	ecs.SettingNameFargateEventWindows:             {"enabled", "disabled"},
}

// maxSettingsPage is the most settings ListAccountSettings returns at
// once, and what it returns when maxResults is not given.
const maxSettingsPage = 10

// accountSettings are the account settings of one Region: the values set
// for each principal, the root user's being the account's defaults. They
// have a lock of their own, so that registering an instance can read them
// whether or not it holds the ECS's.
type accountSettings struct {
	mu  sync.Mutex
	set map[string]map[ecs.SettingName]string // by principal ARN
}

// reset forgets every setting (Reset).
func (s *accountSettings) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set = nil
}

// effective returns the value of name for principal: its own, else the
// root user's, else the default.
func (s *accountSettings) effective(root, principal string, name ecs.SettingName) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.set[principal][name]; ok {
		return v
	}
	if v, ok := s.set[root][name]; ok {
		return v
	}
	return settingDefaults[name]
}

// rootARN returns the ARN of the account's root user, the principal of
// every request.
func (e *ECS) rootARN() string { return "arn:aws:iam::" + e.arns.account + ":root" }

// accountSetting returns the value of the setting name in effect for the
// account's root user, the principal ecstest acts for.
func (e *ECS) accountSetting(name ecs.SettingName) string {
	return e.settings.effective(e.rootARN(), e.rootARN(), name)
}

// principal checks a request's principalArn, an IAM user, role or root
// user of the account, and returns it, or the root user's when it is
// empty.
func (e *ECS) principal(arn string) (string, error) {
	if arn == "" {
		return e.rootARN(), nil
	}
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::"+e.arns.account+":")
	switch {
	case ok && rest == "root":
	case ok && (strings.HasPrefix(rest, "user/") || strings.HasPrefix(rest, "role/")) && !strings.HasSuffix(rest, "/"):
	default:
		return "", invalidParameter("principalArn %q is not the ARN of a user, a role or the root user of account %s.", arn, e.arns.account)
	}
	return arn, nil
}

// checkSettingName checks the name of a setting.
func checkSettingName(name ecs.SettingName) error {
	if name == "" {
		return invalidParameter("name is required.")
	}
	if !name.Known() {
		return invalidParameter("Setting name %q is not valid: use one of %v.", name, ecs.SettingName("").Values())
	}
	return nil
}

// settingOf returns a setting as the API shows it.
func settingOf(name ecs.SettingName, value, principal string) *ecs.Setting {
	typ := ecs.SettingTypeUser
	if name == ecs.SettingNameGuardDutyActivate {
		typ = ecs.SettingTypeAwsManaged // GuardDuty sets it; it is read-only to users
	}
	return &ecs.Setting{Name: name, Value: value, PrincipalARN: principal, Type: typ}
}

// put sets name to value for principal, once both are checked.
func (e *ECS) putSetting(name ecs.SettingName, value, principal string) (*ecs.Setting, error) {
	if err := checkSettingName(name); err != nil {
		return nil, err
	}
	if !slices.Contains(settingValues[name], value) {
		return nil, invalidParameter("The value %q is not valid for setting %s: use %s.", value, name, strings.Join(settingValues[name], ", "))
	}
	s := &e.settings
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set == nil {
		s.set = map[string]map[ecs.SettingName]string{}
	}
	if s.set[principal] == nil {
		s.set[principal] = map[ecs.SettingName]string{}
	}
	s.set[principal][name] = value
	return settingOf(name, value, principal), nil
}

// PutAccountSetting sets an account setting for a principal (the root
// user when req.PrincipalARN is empty). The root user's setting is the
// default of every user and role that has none of its own. The values a
// setting takes are those of the API reference; the long ARN formats take
// only enabled (an account can no longer opt out), guardDutyActivate is
// read-only (GuardDuty sets it, with PutAccountSettingDefault), and only
// the root user has a fargateTaskRetirementWaitPeriod.
//
// Two settings change what ecstest does: awsvpcTrunking, for the
// container instances registered after it (ENI trunking, see
// RegisterContainerInstance), and containerInsights, the setting of the
// clusters created after it that do not give theirs. The others are
// stored and reported.
func (e *ECS) PutAccountSetting(ctx context.Context, req *ecs.PutAccountSettingRequest) (*ecs.PutAccountSettingResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	principal, err := e.principal(req.PrincipalARN)
	if err != nil {
		return nil, err
	}
	switch {
	case req.Name == ecs.SettingNameGuardDutyActivate:
		return nil, invalidParameter("guardDutyActivate is read-only: Amazon GuardDuty sets it for the account.")
	case req.Name == ecs.SettingNameFargateTaskRetirementWaitPeriod && principal != e.rootARN():
		return nil, invalidParameter("fargateTaskRetirementWaitPeriod can only be set for the root user.")
	}
	s, err := e.putSetting(req.Name, req.Value, principal)
	if err != nil {
		return nil, err
	}
	return &ecs.PutAccountSettingResponse{Setting: s}, nil
}

// PutAccountSettingDefault sets the account's default of a setting, the
// root user's setting, for every user and role that has none of its own;
// the values are PutAccountSetting's, and guardDutyActivate may be set
// (GuardDuty sets it so).
func (e *ECS) PutAccountSettingDefault(ctx context.Context, req *ecs.PutAccountSettingDefaultRequest) (*ecs.PutAccountSettingDefaultResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	s, err := e.putSetting(req.Name, req.Value, e.rootARN())
	if err != nil {
		return nil, err
	}
	return &ecs.PutAccountSettingDefaultResponse{Setting: s}, nil
}

// DeleteAccountSetting deletes the setting a principal (the root user
// when req.PrincipalARN is empty) has of its own, which then has the
// account's default (the root user's setting, or the setting's default),
// and returns the setting deleted; a principal that has none of its own
// gets the value in effect, and nothing changes.
func (e *ECS) DeleteAccountSetting(ctx context.Context, req *ecs.DeleteAccountSettingRequest) (*ecs.DeleteAccountSettingResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if err := checkSettingName(req.Name); err != nil {
		return nil, err
	}
	if req.Name == ecs.SettingNameGuardDutyActivate {
		return nil, invalidParameter("guardDutyActivate is read-only: Amazon GuardDuty sets it for the account.")
	}
	principal, err := e.principal(req.PrincipalARN)
	if err != nil {
		return nil, err
	}
	value := e.settings.effective(e.rootARN(), principal, req.Name)
	s := &e.settings
	s.mu.Lock()
	delete(s.set[principal], req.Name)
	s.mu.Unlock()
	return &ecs.DeleteAccountSettingResponse{Setting: settingOf(req.Name, value, principal)}, nil
}

// ListAccountSettings lists the settings of a principal (the root user
// when req.PrincipalARN is empty), in the order of the model's
// SettingName enum: with req.EffectiveSettings every setting with the
// value in effect for it (its own, the account's default or the
// setting's default), without only those it set itself; of req.Name
// only, and of req.Value only (which needs req.Name). It returns at most
// req.MaxResults (1 to 10, default 10) at a time.
func (e *ECS) ListAccountSettings(ctx context.Context, req *ecs.ListAccountSettingsRequest) (*ecs.ListAccountSettingsResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req.Name != "" {
		if err := checkSettingName(req.Name); err != nil {
			return nil, err
		}
	} else if req.Value != "" {
		return nil, invalidParameter("value can only be given with name.")
	}
	principal, err := e.principal(req.PrincipalARN)
	if err != nil {
		return nil, err
	}
	if req.MaxResults < 0 || req.MaxResults > maxSettingsPage {
		return nil, invalidParameter("maxResults must be from 1 to %d, not %d.", maxSettingsPage, req.MaxResults)
	}
	p, err := readPage("ListAccountSettings", nil, req.NextToken)
	if err != nil {
		return nil, err
	}
	p.size = maxSettingsPage
	if req.MaxResults > 0 {
		p.size = req.MaxResults
	}
	e.settings.mu.Lock()
	own := maps.Clone(e.settings.set[principal])
	e.settings.mu.Unlock()
	var list []ecs.Setting
	for _, name := range ecs.SettingName("").Values() {
		if req.Name != "" && name != req.Name {
			continue
		}
		value, ok := own[name]
		if !ok && !req.EffectiveSettings {
			continue
		}
		if !ok {
			value = e.settings.effective(e.rootARN(), principal, name)
		}
		if req.Value != "" && value != req.Value {
			continue
		}
		list = append(list, *settingOf(name, value, principal))
	}
	pg, next := pageInOrder(p, list, func(s ecs.Setting) string { return string(s.Name) })
	return &ecs.ListAccountSettingsResponse{Settings: append([]ecs.Setting{}, pg...), NextToken: next}, nil
}

// addTrunking gives an instance that registers the ENI trunking
// capability, ecs.capability.task-eni-trunking, when the account's
// awsvpcTrunking setting is enabled and the instance can have a trunk: a
// Linux instance of a type with an awsvpc task limit with trunking in
// the catalogue (the developer guide's supported types). Only instances
// registered after the setting is turned on get it, as in ECS.
func (e *ECS) addTrunking(attrs map[string]string, it ecs.InstanceType, known bool) {
	if !known || it.TrunkENIs == 0 || attrs[ecs.AttrOSType] != "linux" {
		return
	}
	if e.accountSetting(ecs.SettingNameAwsvpcTrunking) != "enabled" {
		return
	}
	if _, ok := attrs[ecs.AttrTaskENITrunking]; !ok {
		attrs[ecs.AttrTaskENITrunking] = ""
	}
}
