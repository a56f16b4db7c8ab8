# Drives Ruby ActiveResource 6.1.4 (unmodified, shared/clients/activeresource) against a
# running clientgate's legacy_xml dialect, loaded with tests/dialects/legacy_xml/fixture.hpp.
# Every check is on what the library returns (records, attributes, errors, exceptions), never
# on the wire. Usage: ruby -I <activeresource>/lib drive.rb http://127.0.0.1:PORT
# Prints one line per check; exits 1 when any failed.
require "active_resource"

SITE = ARGV.fetch(0)
$failures = 0
$checks = 0

def check(description, actual, expected)
  $checks += 1
  if actual == expected
    puts "ok - #{description}"
  else
    $failures += 1
    puts "not ok - #{description}: expected #{expected.inspect}, got #{actual.inspect}"
  end
rescue StandardError => e
  $failures += 1
  puts "not ok - #{description}: raised #{e.class}: #{e.message}"
end

# The block must raise `error`; a check of what the library raised.
def check_raises(description, error)
  $checks += 1
  yield
  $failures += 1
  puts "not ok - #{description}: nothing raised, expected #{error}"
rescue error
  puts "ok - #{description}"
rescue StandardError => e
  $failures += 1
  puts "not ok - #{description}: raised #{e.class}: #{e.message}, expected #{error}"
end

# A step that must not raise: a failure here is reported and the script goes on.
def step(description)
  yield
rescue StandardError => e
  $checks += 1
  $failures += 1
  puts "not ok - #{description}: raised #{e.class}: #{e.message}"
  nil
end

# One resource class per user, configured as an integration would configure it.
def client_class(user, password, host: nil)
  Class.new(ActiveResource::Base) do
    self.site = SITE
    self.format = :xml
    self.element_name = "client"
    self.user = user
    self.password = password
    # A LiveTimer account is its subdomain (artworks.livetimer.com). The test cannot rely on
    # DNS for *.localhost, so the account's host name is given as the Host header over
    # 127.0.0.1, which is what the subdomain URL would send.
    headers["Host"] = host if host
  end
end

Manager = client_class("manager@example.com", "manager-pass")
Resource = client_class("resource@example.com", "resource-pass")
North = client_class("north@example.com", "north-pass")
NorthOnHost = client_class("north@example.com", "north-pass",
                           host: "northwind.localhost:#{URI(SITE).port}")
Dormant = client_class("dormant@example.com", "dormant-pass")
WrongPassword = client_class("manager@example.com", "not-the-password")

def ids(records)
  records.map(&:id)
end

# --- lists: find(:all) and every from: list, as the library returns them (arrays of records)
step "lists" do
  check "find(:all) returns every visible client", ids(Manager.find(:all)), [21, 22, 23, 25, 31]
  check "all.first is a resource with typed attributes",
        Manager.all.first.then { |c| [c.class, c.name, c.active, c.code, c.created_at.utc.iso8601] },
        [Manager, "Munch Museum", true, nil, "2007-03-30T20:28:40Z"]
  check "text is unescaped", Manager.find(22).then { |c| [c.name, c.url, c.description, c.code] },
        ["Smith & Sons <Ltd>", "http://smith.example/?a=1&b=2", "two\nlines", nil]
  check "from: :active", ids(Manager.find(:all, from: :active)), [21, 23, 25, 31]
  check "from: :inactive (one element)", ids(Manager.find(:all, from: :inactive)), [22]
  check "from: :my_assignments (one element)", ids(Manager.find(:all, from: :my_assignments)), [31]
  check "from: :my_active_assignments", ids(Manager.find(:all, from: :my_active_assignments)), [31]
  check "from: :my_inactive_assignments (empty)",
        Manager.find(:all, from: :my_inactive_assignments).to_a, []
  check "resource user: from: :my_assignments", ids(Resource.find(:all, from: :my_assignments)),
        [21, 22]
  check "resource user: from: :my_active_assignments",
        ids(Resource.find(:all, from: :my_active_assignments)), [21]
  check "resource user: from: :my_inactive_assignments",
        ids(Resource.find(:all, from: :my_inactive_assignments)), [22]
  check "resource user: find(:all) sees assigned clients only", ids(Resource.all), [21, 22]
  check "find(:first)", Manager.find(:first).id, 21
  check "find(:last)", Manager.find(:last).id, 31
  check "where(active: ...) is sent as a parameter and ignored", ids(Manager.where(active: false)),
        [21, 22, 23, 25, 31]
end

# --- ranges (start / end parameters)
step "ranges" do
  check "start=2 end=4", ids(Manager.find(:all, params: { start: 2, end: 4 })), [22, 23, 25]
  check "start=5 (one element)", ids(Manager.find(:all, params: { start: 5 })), [31]
  check "start past the end (empty)", Manager.find(:all, params: { start: 9 }).to_a, []
  check "end only", ids(Manager.find(:all, params: { end: 2 })), [21, 22]
  check "from: with a range", ids(Manager.find(:all, from: :active, params: { start: 2, end: 3 })),
        [23, 25]
  check_raises("a bad range raises BadRequest", ActiveResource::BadRequest) do
    Manager.find(:all, params: { start: 0 })
  end
end

# --- includes
step "include=projects,tasks" do
  munch = Manager.find(21, params: { include: "projects,tasks" })
  check "find(id, include: projects,tasks) embeds projects", munch.projects.map(&:name),
        %w[Website Catalogue]
  check "embedded project attributes are typed",
        munch.projects.first.then { |p| [p.id, p.active, p.code, p.updated_at.utc.iso8601] },
        [101, true, nil, "2008-01-08T15:22:33Z"]
  check "embedded tasks", munch.projects.first.tasks.map { |t| [t.id, t.name] },
        [[1001, "Design"], [1002, "Build"]]
  check "a project without tasks has an empty tasks list", munch.projects.last.tasks.to_a, []
end
step "include=projects on a list" do
  list = Manager.find(:all, params: { include: "projects" })
  by_id = list.to_h { |c| [c.id, c] }
  check "one-project client", by_id[23].projects.map(&:name), ["Timed"]
  check "no-project client", by_id[25].projects.to_a, []
  check "include=projects leaves tasks out", by_id[21].projects.first.respond_to?(:tasks), false
end
check_raises("an unknown include raises BadRequest", ActiveResource::BadRequest) do
  Manager.find(21, params: { include: "invoices" })
end

# --- find one, exists?
step "find one" do
  check "find(id)", Manager.find(23).then { |c| [c.id, c.name, c.active] }, [23, "Timekeepers", true]
  check "exists? on a visible client", Manager.exists?(21), true
  check "exists? on a missing client", Manager.exists?(9999), false
  check_raises("find of a missing id raises ResourceNotFound", ActiveResource::ResourceNotFound) do
    Manager.find(9999)
  end
  check_raises("find of a soft-deleted client raises ResourceNotFound",
               ActiveResource::ResourceNotFound) { Manager.find(24) }
  check_raises("find of a client not assigned raises ResourceNotFound",
               ActiveResource::ResourceNotFound) { Resource.find(23) }
end

# --- create, reading the id back
step "create" do
  created = Manager.create(name: "Rails & Co", code: "RC", url: "http://rails.example")
  check "create persists and reads the id back",
        [created.persisted?, created.id.is_a?(Integer) && created.id > 41], [true, true]
  check "create loads the server's attributes", [created.active, created.created_at.class],
        [true, Time]
  again = Manager.find(created.id)
  check "the created client reads back", [again.name, again.code, again.url, again.description],
        ["Rails & Co", "RC", "http://rails.example", nil]
  made = Manager.new(name: "Built then saved", active: false)
  check "new + save returns true", made.save, true
  check "new + save reads the id back", Manager.find(made.id).then { |c| [c.name, c.active] },
        ["Built then saved", false]
end

# --- update
step "update" do
  munch = Manager.find(21)
  munch.name = "Munch Museum Oslo"
  munch.description = "Edvard <b>Munch</b>"
  check "save returns true", munch.save, true
  check "the update reads back", Manager.find(21).then { |c| [c.name, c.description, c.code] },
        ["Munch Museum Oslo", "Edvard <b>Munch</b>", nil]
  check "update_attribute", Manager.find(21).update_attribute(:code, "MM"), true
  check "update_attributes", Manager.find(21).update_attributes(active: false), true
  check "both read back", Manager.find(21).then { |c| [c.code, c.active] }, ["MM", false]
  # A record read with its projects sends them back on save (<projects type="array">...):
  # ignored, like any element the client does not own.
  with_projects = Manager.find(21, params: { include: "projects,tasks" })
  with_projects.name = "Munch with projects"
  check "save of a record read with include=projects,tasks", with_projects.save, true
  check "it reads back", Manager.find(21, params: { include: "projects" }).then { |c|
    [c.name, c.projects.size]
  }, ["Munch with projects", 2]
  timekeepers = Manager.find(23)
  before = timekeepers.updated_at
  check "saving without a change returns true", timekeepers.save, true
  check "saving without a change keeps updated_at", Manager.find(23).updated_at, before
  check "reload after the save", timekeepers.reload.updated_at, before
end

# --- 422 fills errors
step "validation" do
  blank = Manager.new(name: "")
  check "save with a blank name returns false", blank.save, false
  check "errors[:name]", blank.errors[:name], ["can't be blank"]
  check "errors.full_messages", blank.errors.full_messages, ["Name can't be blank"]
  check "valid? is false after the refusal", blank.valid?, false
  long = Manager.find(23)
  long.name = "x" * 256
  long.code = "c" * 256
  check "update with two bad fields returns false", long.save, false
  check "both errors", long.errors.full_messages,
        ["Name is too long (maximum is 255 characters)",
         "Code is too long (maximum is 255 characters)"]
  check "errors[:code]", long.errors[:code], ["is too long (maximum is 255 characters)"]
  check "the refused update changed nothing", Manager.find(23).name, "Timekeepers"
  check_raises("create! raises ResourceInvalid", ActiveResource::ResourceInvalid) do
    Manager.create!(name: " ")
  end
  check_raises("destroying a client with time entries raises ResourceInvalid",
               ActiveResource::ResourceInvalid) { Manager.find(23).destroy }
end

# --- destroy
step "destroy" do
  delta = Manager.find(25)
  delta.destroy
  check "destroy removes the client", Manager.exists?(25), false
  check_raises("find after destroy raises ResourceNotFound", ActiveResource::ResourceNotFound) do
    Manager.find(25)
  end
  check_raises("class-level delete of a missing id raises ResourceNotFound",
               ActiveResource::ResourceNotFound) { Manager.delete(25) }
end

# --- 401 / 403 / 404 raise the library's own exceptions
step "401 / 403 / 404" do
  check_raises("a wrong password raises UnauthorizedAccess", ActiveResource::UnauthorizedAccess) do
    WrongPassword.find(:all)
  end
  check_raises("a wrong password on find(id) raises UnauthorizedAccess",
               ActiveResource::UnauthorizedAccess) { WrongPassword.find(21) }
  check_raises("an account without clients raises ForbiddenAccess", ActiveResource::ForbiddenAccess) do
    Dormant.find(:all)
  end
  check_raises("create by a non-manager raises ForbiddenAccess", ActiveResource::ForbiddenAccess) do
    Resource.create(name: "Not allowed")
  end
  check_raises("update by a non-manager raises ForbiddenAccess", ActiveResource::ForbiddenAccess) do
    Resource.find(21).tap { |c| c.name = "Nope" }.save
  end
  check_raises("destroy of another company's client raises ForbiddenAccess",
               ActiveResource::ForbiddenAccess) { Manager.find(31).destroy }
  check_raises("update of a missing client raises ResourceNotFound",
               ActiveResource::ResourceNotFound) do
    Manager.new({ id: 9999, name: "Ghost" }, true).save
  end
end

# --- the account chosen by Host (the subdomain)
step "Host account" do
  check "Host names the account: its clients only", ids(NorthOnHost.all), [31, 32]
  check "without the account host: every company of the user", ids(North.all), [31, 32]
  check_raises("a Host account the user is not a member of raises UnauthorizedAccess",
               ActiveResource::UnauthorizedAccess) do
    client_class("manager@example.com", "manager-pass", host: "dormant.localhost").all
  end
end

puts "#{$checks} checks, #{$failures} failed"
exit($failures.zero? ? 0 : 1)
