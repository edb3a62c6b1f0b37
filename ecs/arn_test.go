package ecs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseARN(t *testing.T) {
	const p = "arn:aws:ecs:us-east-1:123456789012:"
	for _, tc := range []struct {
		in   string
		want ARN
		id   string
	}{
		{p + "cluster/default", ARN{"aws", "ecs", "us-east-1", "123456789012", "cluster", "", "default", 0}, "default"},
		{p + "task-definition/web:12", ARN{"aws", "ecs", "us-east-1", "123456789012", "task-definition", "", "web", 12}, "web:12"},
		{p + "task-definition/web", ARN{"aws", "ecs", "us-east-1", "123456789012", "task-definition", "", "web", 0}, "web"},
		{p + "container-instance/prod/0a1b2c", ARN{"aws", "ecs", "us-east-1", "123456789012", "container-instance", "prod", "0a1b2c", 0}, "0a1b2c"},
		{p + "container-instance/0a1b2c", ARN{"aws", "ecs", "us-east-1", "123456789012", "container-instance", "", "0a1b2c", 0}, "0a1b2c"},
		{p + "service/prod/web", ARN{"aws", "ecs", "us-east-1", "123456789012", "service", "prod", "web", 0}, "web"},
		{p + "service/web", ARN{"aws", "ecs", "us-east-1", "123456789012", "service", "", "web", 0}, "web"},
		{p + "task/prod/abc", ARN{"aws", "ecs", "us-east-1", "123456789012", "task", "prod", "abc", 0}, "abc"},
		{p + "task-set/prod/web/ecs-svc-1", ARN{"aws", "ecs", "us-east-1", "123456789012", "task-set", "prod", "web/ecs-svc-1", 0}, "ecs-svc-1"},
		{p + "capacity-provider/cp", ARN{"aws", "ecs", "us-east-1", "123456789012", "capacity-provider", "", "cp", 0}, "cp"},
		{"arn:aws-cn:ecs:cn-north-1:1:task/c/x:y", ARN{"aws-cn", "ecs", "cn-north-1", "1", "task", "c", "x:y", 0}, "x:y"},
	} {
		got, err := ParseARN(tc.in)
		if err != nil {
			t.Errorf("ParseARN(%q): %v", tc.in, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("ParseARN(%q) (-want +got):\n%s", tc.in, d)
		}
		if s := got.String(); s != tc.in {
			t.Errorf("ParseARN(%q).String() = %q", tc.in, s)
		}
		if id := got.ID(); id != tc.id {
			t.Errorf("ParseARN(%q).ID() = %q, want %q", tc.in, id, tc.id)
		}
	}
}

func TestParseARNErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"web",
		"web:1",
		"arn:aws:ecs:us-east-1:123456789012",
		"arn::ecs:us-east-1:123456789012:cluster/c",
		"arn:aws:iam::123456789012:role/r",
		"arn:aws:ecs::123456789012:cluster/c",
		"arn:aws:ecs:us-east-1::cluster/c",
		"arn:aws:ecs:us-east-1:123456789012:cluster",
		"arn:aws:ecs:us-east-1:123456789012:/c",
		"arn:aws:ecs:us-east-1:123456789012:cluster/",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/:1",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:0",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:01",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:+1",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:-1",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:1:2",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:99999999999999999999",
		"arn:aws:ecs:us-east-1:123456789012:task/",
		"arn:aws:ecs:us-east-1:123456789012:task//id",
		"arn:aws:ecs:us-east-1:123456789012:task/c/",
		"ARN:aws:ecs:us-east-1:123456789012:cluster/c",
	} {
		if a, err := ParseARN(in); err == nil {
			t.Errorf("ParseARN(%q) = %+v, want an error", in, a)
		}
	}
}

func TestARNConstructors(t *testing.T) {
	for _, tc := range []struct {
		a    ARN
		want string
	}{
		{ClusterARN("eu-west-1", "111122223333", "prod"), "arn:aws:ecs:eu-west-1:111122223333:cluster/prod"},
		{ContainerInstanceARN("eu-west-1", "111122223333", "prod", "ab12"), "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/ab12"},
		{ServiceARN("eu-west-1", "111122223333", "prod", "web"), "arn:aws:ecs:eu-west-1:111122223333:service/prod/web"},
		{TaskARN("eu-west-1", "111122223333", "prod", "ab12"), "arn:aws:ecs:eu-west-1:111122223333:task/prod/ab12"},
		{ContainerARN("eu-west-1", "111122223333", "prod", "cd34"), "arn:aws:ecs:eu-west-1:111122223333:container/prod/cd34"},
		{TaskDefinitionARN("eu-west-1", "111122223333", "web", 3), "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3"},
		{TaskDefinitionARN("eu-west-1", "111122223333", "web", 0), "arn:aws:ecs:eu-west-1:111122223333:task-definition/web"},
	} {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.a, got, tc.want)
		}
		back, err := ParseARN(tc.want)
		if err != nil {
			t.Errorf("ParseARN(%q): %v", tc.want, err)
		} else if d := cmp.Diff(tc.a, back); d != "" {
			t.Errorf("ParseARN(%q) (-constructed +parsed):\n%s", tc.want, d)
		}
	}
}

func TestResourceID(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:ecs:us-east-1:123456789012:task/prod/abc":       "abc",
		"arn:aws:ecs:us-east-1:123456789012:task/abc":            "abc",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/w:2": "w:2",
		"abc":  "abc",
		"":     "",
		"a/b/": "",
	} {
		if got := ResourceID(in); got != want {
			t.Errorf("ResourceID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseTaskDefinitionRef(t *testing.T) {
	for _, tc := range []struct {
		ref    string
		family string
		rev    int
		hasRev bool
		err    bool
	}{
		{ref: "web", family: "web"},
		{ref: "web:3", family: "web", rev: 3, hasRev: true},
		{ref: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", family: "web", rev: 3, hasRev: true},
		{ref: "arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web", family: "web"},
		{ref: "", err: true},
		{ref: ":3", err: true},
		{ref: "web:0", err: true},
		{ref: "web:x", err: true},
		{ref: "arn:aws:ecs:us-east-1:123456789012:service/c/web", err: true},
	} {
		family, rev, hasRev, err := ParseTaskDefinitionRef(tc.ref)
		if (err != nil) != tc.err {
			t.Errorf("ParseTaskDefinitionRef(%q): err = %v, want error %v", tc.ref, err, tc.err)
			continue
		}
		if family != tc.family || rev != tc.rev || hasRev != tc.hasRev {
			t.Errorf("ParseTaskDefinitionRef(%q) = %q, %d, %v; want %q, %d, %v", tc.ref, family, rev, hasRev, tc.family, tc.rev, tc.hasRev)
		}
	}
}

func TestTaskGroups(t *testing.T) {
	if g := ServiceGroup("web"); g != "service:web" {
		t.Errorf("ServiceGroup(web) = %q", g)
	}
	if g := FamilyGroup("batch"); g != "family:batch" {
		t.Errorf("FamilyGroup(batch) = %q", g)
	}
}

// FuzzParseARN checks that whatever ParseARN accepts String writes back
// byte for byte, and that reading that again gives the same ARN.
func FuzzParseARN(f *testing.F) {
	for _, s := range []string{
		"arn:aws:ecs:us-east-1:123456789012:cluster/default",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:12",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web",
		"arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0a1b2c",
		"arn:aws:ecs:us-east-1:123456789012:service/web",
		"arn:aws:ecs:us-east-1:123456789012:task/prod/abc",
		"arn:aws:ecs:us-east-1:123456789012:task-set/prod/web/ecs-svc-1",
		"arn:aws-cn:ecs:cn-north-1:1:capacity-provider/cp",
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:01",
		"arn:aws:ecs:us-east-1:123456789012:task//id",
		"web:3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseARN(s)
		if err != nil {
			return
		}
		out := a.String()
		if out != s {
			t.Fatalf("ParseARN(%q).String() = %q", s, out)
		}
		b, err := ParseARN(out)
		if err != nil {
			t.Fatalf("ParseARN(%q) (written back): %v", out, err)
		}
		if a != b {
			t.Fatalf("ParseARN(%q) = %+v, read back %+v", s, a, b)
		}
		if a.Revision < 0 || (a.Revision > 0 && a.ResourceType != ARNTypeTaskDefinition) {
			t.Fatalf("ParseARN(%q) has revision %d", s, a.Revision)
		}
		_ = a.ID()
	})
}
