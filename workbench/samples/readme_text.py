"""Per-source prose of data/samples/README.md: layouts known vs chosen, kinds of mess."""

SOURCE_TEXT = {
    "kartra": """\
## Kartra (`kartra/`)

**Layout.** Known: contact columns are Kartra's documented lead fields (`id, first_name, …,
date_joined, score, source, blacklisted, gdpr_lead_status`), `N/A` for every empty value,
`YYYY-MM-DD HH:MM:SS` US Eastern timestamps without offset, transaction columns
`transaction_id, transaction_full_amount, transaction_type (sale/refund/partial_refund),
transaction_parent_id`, subscription columns `transaction_subscription_id, payments_left`, the
five custom field types. Chosen (not published): the file names, the `tags`/`lists` column
names, the remaining transaction/subscription columns, and the whole layout of `companies.csv`,
`calendar_bookings.csv`, `affiliates.csv`, `custom_fields.csv` (the custom-field definitions as
written down while scoping) and `sequences.json` (the sequence inventory; Kartra cannot export
sequences). The seed page describes Kartra Company records, so companies have their own file;
contacts name their company as free text. Files use CRLF line endings.

**Contacts in batches.** The UI caps rows per export, so contacts come in three files
(`contacts_export_1..3.csv`), each listed newest first; consecutive batches overlap at their
boundary (`truth/batch_overlaps.csv` lists every repeated row; some were edited between exports
and differ in `score`: the later batch holds the current values). The third batch has its custom
columns in another order. Custom fields: Industry (drop_down), Preferred Contact Method
(radio_button), Newsletter Opt-In (checkbox), Coaching Goals (text_area, some with line breaks),
Renewal Date (input_field holding dates in mixed formats), Referral Code (input_field).

**Mess.** Duplicate people (same email in other case/whitespace; same name + phone; same name +
company, accents stripped); people sharing a full name who are different people; contacts without
email; invalid emails; invalid and Excel-mangled phones (`4.15555E+09`); company names written
many ways (case, punctuation, legal suffixes of several countries, typos, "The", & vs and, stray
spaces) and look-alike different companies; tags with near-duplicates (VIP / vip␠ / V.I.P.,
customer / Customer, Hot Lead / hot lead), some rows separated by semicolons; behavioural tags for
forms, webinars and membership but none for surveys; blacklisted contacts and an `email_bounced`
tag; transactions whose lead was deleted (unresolvable) or given by email only; booking hosts who
are not workspace members.
""",
    "allclients": """\
## AllClients (`allclients/`)

**Layout.** Known: the contact element names of AllClients' API (`id, firstname, lastname,
company, email, adddate, editdate, otherfirstname, otheremail, phone1, phone1note, postalcode`,
birthday as `MM/DD(/YYYY)`), dates like `2/15/2014 1:15:05 PM`, several contacts sharing one
email, notes keyed by email with a `[[System]]` prefix on some. Chosen (the CSV headers are not
published): the header spelling (the API element names), the remaining contact columns
(`address1, city, state, website, tags, groups, user, emailstatus`), and the layouts of
`Notes.csv`, `Tasks.csv`, `Users.csv`, `Attachments.csv` (index of the `attachments/` folder),
`Workflows.csv`, `Campaigns.csv` and `email_templates/*.html`. Files are UTF-8 with a BOM and
CRLF line endings.

**Mess.** Company is free text written many ways (no company object: the company table must be
built by deduping names, website and email domains help); custom fields of type select (Referral
Source, Client Tier — with case variants), text (Policy Number), number (Annual Premium, written
`1200`, `$1,200.00`, `1200.50`) and date (Renewal Date, mixed formats, some ambiguous); spouses
sharing one email (different people); duplicate contacts of every kind; notes whose contact
changed email (join falls back to the name), whose name is shared by several contacts
(ambiguous), that match nobody (contact deleted), with line breaks, with the `[[System]]`
prefix; tasks assigned to users who are not workspace members, tasks whose contact is gone;
one indexed attachment missing from the folder and one file nobody indexed.
""",
    "smartcrm": """\
## Smart CRM Online (`smartcrm/`)

**Layout.** Nothing is published (no API, no export documentation): every file name and header
was chosen to be plausible for a small CRM's CSV export (`Companies.csv`, `Contacts.csv`,
`Deals.csv`, `Pipeline_Stages.csv`, `Activities.csv`, `Notes.csv`, `Owners.csv`). Dates are
written by each user's locale, so several formats appear in one column. Custom properties are
extra headers beyond the standard ones.

**Mess.** Companies with ids, some the same business entered twice under another spelling, and
look-alike different businesses; contacts that reference their company by id, some only by name
(free text, written many ways), some by a company id that does not exist; deals that reference
a company id or only a contact's name (some names match several contacts, some nobody:
unresolvable); pipeline stages with odd names that need the rename table, probabilities, and a
stage used by deals but missing from the stage list; calls and emails (disposition, duration,
direction, subject) and meetings (start, end, location, attendees) tied to a contact or a deal;
notes by author email; owners who are not workspace members; tags with case variants.
""",
    "altcraft": """\
## Altcraft (`altcraft/`)

**Layout.** Known: profile fields named like Altcraft's import payload (`_fname, _lname, _bdate,
_sex, _regdate, email, phones`) and channel subscriptions for email, SMS and push; the export is
CSV. Chosen: the profile export header set (`profile_id`, `sub_email`, `sub_sms`, `sub_push`,
`control_group`, `static_segments`, `company_id`), and every other file (`events.csv`,
`companies.csv`, `campaigns.csv`, `message_templates.csv`, `channels.csv`, `products.csv`,
`orders.csv`, and the JSON rule sets / definitions `dynamic_segments.json`, `forms.json`).
Profiles use `;` as the delimiter, as CDP exports configured for European locales often do.

**Mess.** Duplicate profiles of every kind; profiles without email (phone-only, push-only);
phones in several formats, invalid and Excel-mangled; channel status values `subscribed`,
`unsubscribed`, `bounced`, `suppressed`; control-group membership; static segments as a list;
events whose profile is unknown; orders whose product or profile is unknown (unresolvable);
channels whose credential-like columns (API keys, tokens, passwords) must never be copied — they
hold obviously fake placeholders; dynamic segments as rule sets that cannot execute in Twenty.
""",
}
