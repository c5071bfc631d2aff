package perf

import (
	"database/sql"

	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/card"
	"huicai/internal/setup"
	"huicai/internal/sign"
	"huicai/internal/talent"
	"huicai/internal/unit"
)

// LeaderUsername is the seeded unit leader's username.
const LeaderUsername = "leader"

// firstRun sets up the unit and its leader (初始设置).
func (s *seeder) firstRun() error {
	in := setup.Input{
		Unit: unit.Unit{Name: "山东大学", USCC: "12370000495570512F", Address: "济南市历城区山大南路27号",
			ContactPerson: "张三", ContactPhone: "0531-88364000"},
		NewLeader: account.NewLeader{Name: "李四", Mobile: "13800138000", Username: LeaderUsername,
			Password: Password, PasswordConfirm: Password},
	}
	if _, err := setup.Run(s.ctx, s.db, in, SeedHash, client); err != nil {
		return err
	}
	var err error
	s.leader, err = account.UserByID(s.ctx, s.db, 1)
	return err
}

// addDepartments adds the 二级单位, audited as the leader's page does.
func (s *seeder) addDepartments() error {
	return s.db.Tx(s.ctx, func(tx *sql.Tx) error {
		for _, name := range departmentNames {
			d, err := unit.CreateDepartment(s.ctx, tx, name)
			if err != nil {
				return err
			}
			s.departments = append(s.departments, d.ID)
			if err := audit.Append(s.ctx, tx, audit.Entry{Actor: s.leader.Actor(client), Action: "新增二级单位",
				Object: "二级单位 " + d.Name, Outcome: audit.OK}); err != nil {
				return err
			}
		}
		return nil
	})
}

// addProvinceKey makes the province's key pair, which answers the seeded
// batches, and configures its public key (配置省级公钥).
func (s *seeder) addProvinceKey() error {
	private, public, err := sign.GenerateKeyPair()
	if err != nil {
		return err
	}
	if s.province, err = sign.ParsePrivatePEM([]byte(private)); err != nil {
		return err
	}
	s.provincePEM = []byte(public)
	return s.db.Tx(s.ctx, func(tx *sql.Tx) error {
		_, err := sign.SetProvinceKey(s.ctx, tx, s.leader.Actor(client), public)
		return err
	})
}

// addStaff registers the commissioners (审核用户注册): most approved, a
// few waiting, refused or approved and later disabled.
func (s *seeder) addStaff() error {
	p := s.plan
	total := p.Commissioners + p.PendingStaff + p.RefusedStaff + p.DisabledStaff
	for i := range total {
		u, err := account.RegisterStaff(s.ctx, s.db, staffAt(i, s.departments[i%len(s.departments)]), SeedHash, client)
		if err != nil {
			return err
		}
		var actions []string
		switch {
		case i < p.Commissioners:
			actions = []string{account.ActionApprove}
		case i < p.Commissioners+p.PendingStaff:
		case i < p.Commissioners+p.PendingStaff+p.RefusedStaff:
			actions = []string{account.ActionReject}
		default:
			actions = []string{account.ActionApprove, account.ActionDisable}
		}
		if err := s.decideStaff(u.ID, actions); err != nil {
			return err
		}
		if i < p.Commissioners {
			if u, err = account.UserByID(s.ctx, s.db, u.ID); err != nil {
				return err
			}
			s.commissioners = append(s.commissioners, u)
		}
	}
	s.logf("staff: %d commissioner accounts, %d approved", total, p.Commissioners)
	return nil
}

// decideStaff takes the leader's actions on a commissioner's account.
func (s *seeder) decideStaff(id int64, actions []string) error {
	for _, action := range actions {
		err := s.db.Tx(s.ctx, func(tx *sql.Tx) error {
			_, err := account.DecideStaff(s.ctx, tx, s.leader.Actor(client), id, action, "所在二级单位信息与证件不符")
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// registerTalents registers every talent (高层次人才注册), which opens
// their card application.
func (s *seeder) registerTalents() error {
	s.talents = make([]seededTalent, s.plan.Talents)
	return s.each("talents", s.plan.Talents, func(i int) error {
		r := registration(i, s.departments[i%len(s.departments)])
		t, err := talent.Register(s.ctx, s.db, r, SeedHash, client, card.Open)
		if err != nil {
			return err
		}
		a, err := card.Current(s.ctx, s.db, t.ID)
		s.talents[i] = seededTalent{id: t.ID, app: a.ID, version: a.Version}
		return err
	})
}

// commissionerOf is the commissioner talent i is bound to: one of their
// own department, as the department is i's too.
func (s *seeder) commissionerOf(i int) account.User { return s.commissioners[i%len(s.commissioners)] }

// bindTalents binds every talent to a commissioner (绑定人才), in runs of
// 500 as the leader's page sends them.
func (s *seeder) bindTalents() error {
	for c, u := range s.commissioners {
		var ids []int64
		for i := c; i < len(s.talents); i += len(s.commissioners) {
			ids = append(ids, s.talents[i].id)
		}
		for _, run := range chunks(ids, 500) {
			err := s.db.Tx(s.ctx, func(tx *sql.Tx) error {
				_, err := talent.Bind(s.ctx, tx, s.leader.Actor(client), u, run)
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	s.logf("bound %d talents to %d commissioners", len(s.talents), len(s.commissioners))
	return nil
}

// addLogins appends sign-in rows to the audit log, as the unit's people
// signing in over the years leave them, 1,000 to a transaction.
func (s *seeder) addLogins() error {
	for first := 0; first < s.plan.Logins; first += 1000 {
		err := s.db.Tx(s.ctx, func(tx *sql.Tx) error {
			for i := first; i < min(first+1000, s.plan.Logins); i++ {
				u := s.loginUser(i)
				if err := audit.Append(s.ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "登录",
					Object: "用户 " + u.Username, Outcome: audit.OK}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	s.logf("logins: %d audit rows", s.plan.Logins)
	return nil
}

// loginUser is who signs in the i-th time: the leader, a commissioner or
// a talent, in turn.
func (s *seeder) loginUser(i int) account.User {
	switch i % 4 {
	case 0:
		return s.leader
	case 1:
		return s.commissioners[i%len(s.commissioners)]
	}
	t := s.talents[i%len(s.talents)]
	return account.User{ID: t.id, Role: account.RoleTalent, Username: talentUsername(i % len(s.talents))}
}
