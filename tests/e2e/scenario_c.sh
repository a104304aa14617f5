#!/usr/bin/env bash
# SPEC §5 scenario C, lead to customer (Zoho): a lead from an .eml; added to a campaign;
# converted into a new account, contact and opportunity; the membership and its history moved to
# the contact; the opportunity advanced through a sales cycle to won; campaign stats show one
# converted lead and the won amount. Around it: the refusals a converted lead and a closed
# opportunity get, conversion into an existing account, the ledger and projections after.
# Run by kafka.sh too (both ledger modes).
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
EML=$(cd "$(dirname "$0")/../io/fixtures/eml" && pwd)

export CRM_NOW=2027-03-01T09:00:00Z
c init >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
c salesperson add JD --name 'Jane Doe' >/dev/null
c campaign create --name 'Spring furniture webinar' >/dev/null   # CP0001
c sales-cycle add FURNITURE --description 'Office furniture sale' \
  --stage 'Qualification|10|20' --stage 'Demo|30|40|skip' --stage 'Proposal|60|60|quote' \
  --stage 'Negotiation|90|80' >/dev/null
eq "$(c sales-cycle show FURNITURE --json | jq -c '[.stages[] | [.stage, .chance, .allow_skip, .quote_required]]')" \
   '[[1,20,false,false],[2,40,true,false],[3,60,false,true],[4,80,false,false]]' "the sales cycle's stages"
expect_exit 2 sales-cycle add FURNITURE --description 'Office furniture sale' --stage 'Only|50|50'
expect_exit 1 sales-cycle add BAD --description 'Bad' --stage 'Only|50'

# An activity (SPEC §4.8): its steps due by date formulas from the assignment date.
c activity add followup --description 'Trade show follow-up' --step 'phone-call|+1w|Call the visitor' \
  --step 'meeting|CM+5D|Visit|high' >/dev/null
eq "$(c activity show FOLLOWUP --date 2027-02-04 --json | jq -c '[.steps[] | [.type, .priority, .date_formula, .due]]')" \
   '[["phone-call","normal","1W","2027-02-11"],["meeting","high","CM+5D","2027-03-05"]]' "the activity's due dates"
eq "$(c activity list --json | jq -c '[.[] | [.code, (.steps | length)]]')" '[["FOLLOWUP",2]]' "activity list"
c activity add FOLLOWUP --description 'Trade show follow-up' --step 'phone-call|1W|Call the visitor' \
  --step 'meeting|cm+5d|Visit|high' >/dev/null   # the same again: nothing appended
expect_exit 2 activity add FOLLOWUP --description 'Other' --step 'task|1D|Other'
expect_exit 1 activity add BAD --description 'Bad' --step 'task|1X|Call'
eq "$(c activity add BAD --description 'Bad' --step 'task|1X|Call' 2>&1)" \
   "error: date formula '1X': expected a unit at position 2 (write terms like 1W, -2D, CM+5D; units D W M Q Y)" \
   "a bad formula's one error line"
expect_exit 2 activity show NONE
expect_exit 1 activity show FOLLOWUP --date 2027-02-30

# Assigned to salesperson JD on 2027-02-04 for the campaign: a task per step, due 2027-02-11 and
# 2027-03-05 (SPEC §4.8 scenario); to a team, a task per member and step.
eq "$(c activity assign FOLLOWUP --campaign CP0001 --salesperson jd --date 2027-02-04 --json | jq -c .tasks)" \
   '["TD0001","TD0002"]' "the activity's tasks"
eq "$(c task list --campaign CP0001 --json | jq -c '[.[] | [.no, .type, .due, .salesperson, .status]]')" \
   '[["TD0001","phone-call","2027-02-11","JD","not started"],["TD0002","meeting","2027-03-05","JD","not started"]]' \
   "the campaign's tasks by due date"
c salesperson add AH --name 'Anna Hansen' >/dev/null
c team add SALES --description 'Sales' --member AH --member JD >/dev/null
eq "$(c activity assign FOLLOWUP --team SALES --date 2027-02-04 --json | jq -c .tasks)" \
   '["TD0003","TD0004","TD0005","TD0006"]' "a task per team member and step"
eq "$(c task create --description 'Send the brochure' --salesperson AH --due 2027-02-08 --json | jq -r .no)" TD0007 \
   "a task by hand"
eq "$(c task complete TD0001)" "TD0001 completed" "complete"
eq "$(c task complete TD0001)" "TD0001 unchanged, completed" "complete again: nothing appended"
expect_exit 2 task cancel TD0001
eq "$(c task set TD0001 --status 'in progress')" "TD0001 in progress" "reopened"
eq "$(c task list --open --salesperson AH --due-before 2027-03-01 --json | jq -c '[.[].no]')" '["TD0007","TD0003"]' \
   "AH's open tasks due before March"
eq "$(c history TD0001 --json | jq -c '[.[].event]')" '["TaskCreated","TaskChanged","TaskChanged"]' "a task's history"
expect_exit 2 task show TD0099
expect_exit 1 task set TD0002 --status done
expect_exit 2 task create --description 'Nobody'
expect_exit 1 activity assign FOLLOWUP --salesperson JD --date 9999-12-30

# The lead from a real message: sender, subject, company from the signature.
lead=$(c lead from-email "$EML/signature.eml" --json)
eq "$(jq -r .no <<<"$lead")" LD0001 "the lead from the message"
eq "$(jq -r .company_name <<<"$lead")" "Fabrikam AS" "its company from the signature"
c lead set LD0001 --salesperson JD >/dev/null
export CRM_NOW=2027-03-02T09:00:00Z
c member add CP0001 LD0001 --status Invited >/dev/null
export CRM_NOW=2027-03-03T09:00:00Z
c member set-status CP0001 LD0001 Attended >/dev/null
before=$(c member history CP0001 LD0001 --json | jq -c '[.[] | [.seq, .event, .status]]')

# Convert: a new account, the person, the opportunity, the membership moved.
export CRM_NOW=2027-03-04T09:00:00Z
conv=$(c --json lead convert LD0001 --new-account --opportunity '50 chairs' --value 12500 --sales-cycle furniture \
       --close-date 2027-04-30)
eq "$(jq -c '[.company, .contact, .new_company, .opportunity, .memberships_moved]' <<<"$conv")" \
   '["CT0001","CT0002",true,"OP0001",["CP0001"]]' "the conversion's records"
eq "$(c contact show CT0001 --json | jq -c '[.type, .name]')" '["company","Fabrikam AS"]' "the new account"
eq "$(c contact show CT0002 --json | jq -c '[.type, .name, .company, .email]')" \
   '["person","Ola Nordmann Ø","CT0001","ola@fabrikam.no"]' "the person contact"
eq "$(c lead show LD0001 --json | jq -c '[.converted_to, .converted_company, .converted_opportunity]')" \
   '["CT0002","CT0001","OP0001"]' "the lead is marked converted"
eq "$(c roster CP0001 --json | jq -c '[.[] | [.contact, .kind, .status, .added_at]]')" \
   '[["CT0002","contact","Attended","2027-03-02T09:00:00Z"]]' "the membership moved, its status and added time with it"
eq "$(c member history CP0001 CT0002 --json | jq -c '[.[] | [.seq, .event, .status]] | .[:-1]')" "$before" \
   "the contact's member history begins with the lead's"
eq "$(c member history CP0001 CT0002 --json | jq -c '.[-1] | [.event, .from, .to]')" '["MemberMoved","LD0001","CT0002"]' \
   "and ends with the move"
eq "$(c member campaigns CT0002 --json | jq -c '[.[].campaign]')" '["CP0001"]' "the contact's campaigns"
eq "$(c member campaigns LD0001 --json | jq -c '[.[].campaign]')" '[]' "the lead is no longer a member"
eq "$(c opportunity show OP0001 --json | jq -c '[.contact, .company, .campaign, .salesperson, .status, .stage, .estimated_value, .lead]')" \
   '["CT0002","CT0001","CP0001","JD","not started",0,"12500.00","LD0001"]' "the opportunity"

# The converted lead is read-only; it takes no new membership; it cannot be converted twice.
expect_exit 2 lead set LD0001 --name 'Someone else'
expect_exit 2 lead opt-out LD0001
expect_exit 2 member add CP0001 LD0001
expect_exit 2 lead convert LD0001
c campaign create --name 'Autumn fair' >/dev/null   # CP0002
eq "$(c --json member add CP0002 --filter 'name=Ola*' | jq -c .added_ids)" '["CT0002"]' "criteria find the contact, not the converted lead"

# Through the sales cycle to won: a quote is needed for Proposal; Demo may be skipped.
export CRM_NOW=2027-03-10T09:00:00Z
expect_exit 2 opportunity previous OP0001
eq "$(c --json opportunity next OP0001 | jq .stage)" 1 "Qualification"
expect_exit 2 opportunity jump OP0001 3
expect_exit 2 opportunity jump OP0001 4
eq "$(c --json opportunity jump OP0001 3 --quote Q-2027-001 | jq .stage)" 3 "Proposal, past the Demo"
eq "$(c --json opportunity next OP0001 | jq .stage)" 4 "Negotiation"
expect_exit 2 opportunity next OP0001
eq "$(c opportunity show OP0001 --json | jq -c '[.status, .chance, .completed]')" '["in progress",80,90]' \
   "in progress at the last stage"
export CRM_NOW=2027-04-20T09:00:00Z
eq "$(c --json opportunity close OP0001 --won --amount 11800 --reason 'Price agreed' | jq -c '[.status, .amount_won]')" \
   '["won","11800.00"]' "won"
expect_exit 2 opportunity close OP0001 --lost
expect_exit 2 opportunity next OP0001
expect_exit 1 opportunity close OP0001
eq "$(c opportunity show OP0001 --json | jq -c '[.status, .amount_won, .close_date, .chance]')" \
   '["won","11800.00","2027-04-20",100]' "closed as won on the day"
eq "$(c history OP0001 --json | jq -c '[.[].event]')" \
   '["OpportunityCreated","OpportunityStageChanged","OpportunityStageChanged","OpportunityStageChanged","OpportunityClosed"]' \
   "every stage move is an entry in the opportunity's history"

stats=$(c campaign stats CP0001 --json)
eq "$(jq -c '[.converted_leads, .leads, .contacts, .members_by_status]' <<<"$stats")" '[1,0,1,{"Attended":1}]' \
   "stats: one converted lead, now a contact member"
eq "$(jq -c '.opportunities' <<<"$stats")" \
   '{"count":1,"estimated_value":"12500.00","lost":0,"open":0,"won":1,"won_amount":"11800.00"}' "stats: the won amount"

# A second lead into an existing account, an opportunity made by hand and lost.
export CRM_NOW=2027-05-01T09:00:00Z
c lead create --name 'Kari Hansen' --company-name 'Fabrikam' --email kari@fabrikam.no >/dev/null   # LD0002
c member add CP0002 LD0002 >/dev/null
removal=$(c --json member remove CP0002 LD0002 | jq -r .command_id)
expect_exit 2 lead convert LD0002 --account CT0002        # a person, not a company
eq "$(c --json lead convert LD0002 --account CT0001 | jq -c '[.contact, .company, .new_company, .opportunity]')" \
   '["CT0003","CT0001",false,""]' "converted into the existing account"
expect_exit 2 undo "$removal"                               # the lead would be a member again
eq "$(c undo "$removal" 2>&1 | grep -c 'lead LD0002 was converted to contact CT0003 since')" 1 \
   "undo gives a converted lead no membership back, and says why"
eq "$(c opportunity create --description 'Desks' --contact CT0003 --sales-cycle FURNITURE --campaign CP0001 --value 3000)" \
   OP0002 "an opportunity made by hand"
expect_exit 2 opportunity create --description 'Lamps' --contact CT0099 --sales-cycle FURNITURE
expect_exit 2 opportunity create --description 'Lamps' --contact CT0003 --sales-cycle RETAIL
c opportunity close OP0002 --lost --reason 'Budget cut' >/dev/null
eq "$(c campaign stats CP0001 --json | jq -c '.opportunities | [.count, .won, .lost, .estimated_value, .won_amount]')" \
   '[2,1,1,"15500.00","11800.00"]' "stats: won and lost"
eq "$(c opportunity list --campaign CP0001 --status won --json | jq -c '[.[].no]')" '["OP0001"]' "list by status"
eq "$(c --at "$(($(c ledger verify --json | jq .head) - 1))" opportunity show OP0002 --json | jq -r .status)" "not started" \
   "--at reads opportunities as they were (before the loss)"

# A stage with an activity: entering it makes the activity's tasks for the opportunity's
# salesperson, due from today, naming the opportunity, its contact and campaign.
c sales-cycle add VISITS --description 'Sale by visits' --stage 'Contact|10|20' \
  --stage 'Visit|50|50|activity=followup' >/dev/null
eq "$(c sales-cycle show VISITS --json | jq -c '[.stages[].activity]')" '["","FOLLOWUP"]' "a stage's activity"
expect_exit 2 sales-cycle add NOACT --description 'Bad' --stage 'Visit|50|50|activity=NONE'
eq "$(c opportunity create --description 'Chairs' --contact CT0003 --sales-cycle VISITS --campaign CP0001 \
      --salesperson JD)" OP0003 "an opportunity with a salesperson"
eq "$(c opportunity next OP0003 --json | jq -c .tasks)" 'null' "a stage without an activity makes no task"
eq "$(c opportunity next OP0003 --json | jq -c .tasks)" '["TD0008","TD0009"]' "entering the stage makes its tasks"
eq "$(c task list --json | jq -c '[.[] | select(.opportunity == "OP0003") | [.no, .due, .salesperson, .contact, .campaign]]')" \
   '[["TD0008","2027-05-08","JD","CT0003","CP0001"],["TD0009","2027-06-05","JD","CT0003","CP0001"]]' \
   "the stage's tasks, due by the formulas from today"
c opportunity create --description 'Sofas' --contact CT0003 --sales-cycle VISITS >/dev/null   # OP0004, no salesperson
c opportunity next OP0004 >/dev/null
eq "$(c opportunity next OP0004 --json | jq -r .tasks_not_made)" \
   "stage 2's activity FOLLOWUP makes tasks for the opportunity's salesperson, and it has none" \
   "no salesperson: the stage is entered, no task made, and the answer says why"

# Everything the campaign holds, its task statistics, and its tasks exported.
c task cancel TD0009 >/dev/null
eq "$(c campaign show CP0001 --json | jq -c '[.opportunities, .open_tasks, .closed_tasks]')" \
   '[["OP0001","OP0002","OP0003"],["TD0001","TD0002","TD0008"],["TD0009"]]' "campaign show: what belongs to it"
eq "$(c campaign stats CP0001 --json | jq -c .tasks)" '{"canceled":1,"completed":0,"open":3}' "stats: tasks"
TASKS_CSV=$(mktemp /tmp/crm-tasks-XXXXXX.csv)
on_exit 'rm -f "$TASKS_CSV"'
c export tasks --campaign CP0001 --output "$TASKS_CSV" >/dev/null
eq "$(cut -d, -f1,4,6 "$TASKS_CSV" | tr '\n' ' ')" \
   "no,status,due TD0001,in progress,2027-02-11 TD0002,not started,2027-03-05 TD0008,not started,2027-05-08 TD0009,canceled,2027-06-05 " \
   "export tasks"

# A campaign's attachments: kept by content hash, listed, written back out, detached.
BOOTH=$(mktemp /tmp/crm-booth-XXXXXX.txt)
on_exit 'rm -f "$BOOTH" "$BOOTH.out"'
printf 'Booth plan: hall B, stand 12\n' >"$BOOTH"
eq "$(c campaign attach CP0001 "$BOOTH")" "$(basename "$BOOTH") attached" "attach"
eq "$(c campaign attach CP0001 "$BOOTH")" "$(basename "$BOOTH") unchanged" "the same file again: nothing appended"
eq "$(c campaign show CP0001 --json | jq -c '[.attachments[] | [.file_name, .size, .sha256]]')" \
   "[[\"$(basename "$BOOTH")\",29,\"$(sha256sum "$BOOTH" | cut -d' ' -f1)\"]]" "listed with size and hash"
c campaign attachment CP0001 "$(basename "$BOOTH")" --output "$BOOTH.out" >/dev/null
eq "$(cmp "$BOOTH" "$BOOTH.out" && echo same)" same "written back out byte for byte"
expect_exit 2 campaign attachment CP0001 none.txt --output "$BOOTH.out"
c campaign detach CP0001 "$(basename "$BOOTH")" >/dev/null
eq "$(c campaign show CP0001 --json | jq -c .attachments)" '[]' "detached"
expect_exit 2 campaign detach CP0001 "$(basename "$BOOTH")"

eq "$(c ledger verify --json | jq .ok)" true "the ledger verifies"
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"
finish
