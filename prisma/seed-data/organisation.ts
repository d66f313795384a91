/**
 * The demo organisation: "Atrium Labs", a software company of 60 people in nine departments and
 * nine cities. Plain data, no randomness, so every seed produces the same organisation.
 * Story 2 (PRODUCT.md) relies on: Leo Novak (the demo member, a new engineer), Priya Raman
 * (Identity team, SAML expert) and the SAML mentors Tomás Herrera and Kenji Watanabe.
 */

export const CITIES = {
  London: "Europe/London",
  Berlin: "Europe/Berlin",
  Lisbon: "Europe/Lisbon",
  "New York": "America/New_York",
  Toronto: "America/Toronto",
  "San Francisco": "America/Los_Angeles",
  Singapore: "Asia/Singapore",
  Sydney: "Australia/Sydney",
  Bangalore: "Asia/Kolkata",
} as const;
export type City = keyof typeof CITIES;

export interface DepartmentSeed {
  name: string;
  description: string;
}

export const DEPARTMENTS: DepartmentSeed[] = [
  { name: "Leadership", description: "The executive team: company direction, operations and the board." },
  { name: "Engineering", description: "Builds and runs the Atrium product: platform, web experience, data and machine learning." },
  { name: "Identity & Security", description: "Single sign-on, user provisioning and the security of our product and our company." },
  { name: "Product", description: "Product management and design: what we build next and why, from discovery to launch." },
  { name: "Marketing", description: "Brand, content, social media and growth — how customers first hear from us." },
  { name: "Sales", description: "Enterprise and mid-market sales, plus the solutions engineers who run technical evaluations." },
  { name: "Customer Support", description: "Front-line help for customers by email, phone, chat and social media, around the clock." },
  { name: "Finance Operations", description: "Billing, invoicing, accounts receivable, revenue and payroll operations." },
  { name: "People & HR", description: "Hiring, onboarding, compensation, people operations and internal IT." },
];

export interface TeamSeed {
  name: string;
  department: string | null; // null = cross-department
  lead: string; // person key
  description: string;
}

export const TEAMS: TeamSeed[] = [
  { name: "Platform", department: "Engineering", lead: "oliver", description: "Kubernetes clusters, CI/CD, observability and the shared services every team builds on." },
  { name: "Web Experience", department: "Engineering", lead: "aisha", description: "The Atrium web app: React, accessibility and performance." },
  { name: "Data & ML", department: "Engineering", lead: "arjun", description: "Data pipelines, the warehouse, search relevance and the sentiment models." },
  { name: "Identity", department: "Identity & Security", lead: "priya", description: "SAML and OIDC single sign-on, SCIM provisioning, sessions and login." },
  { name: "Security Operations", department: "Identity & Security", lead: "ravi", description: "Detection, incident response, vulnerability management and SOC 2 evidence." },
  { name: "Product Management", department: "Product", lead: "zoe", description: "Discovery, roadmaps and launch plans for every product area." },
  { name: "Product Design", department: "Product", lead: "freya", description: "Interaction design, the design system and user research." },
  { name: "Brand & Content", department: "Marketing", lead: "harriet", description: "Our voice: the website, blog, case studies and social channels." },
  { name: "Growth Marketing", department: "Marketing", lead: "ryan", description: "Campaigns, paid acquisition, SEO and marketing analytics." },
  { name: "Enterprise Sales", department: "Sales", lead: "olivia", description: "Account executives for customers with more than 1,000 employees." },
  { name: "Solutions Engineering", department: "Sales", lead: "pedro", description: "Technical evaluations, proofs of concept and SSO set-up with prospects." },
  { name: "Social Care", department: "Customer Support", lead: "maya", description: "Answers customers on Twitter, Facebook and community forums, and flags what they tell us." },
  { name: "Technical Support", department: "Customer Support", lead: "rahul", description: "Second-line support: integrations, SSO, data imports and bug reproduction." },
  { name: "Finance Operations", department: "Finance Operations", lead: "james", description: "Billing and invoicing questions, refunds, accounts receivable and revenue operations." },
  { name: "People Operations", department: "People & HR", lead: "nadia", description: "Onboarding, HR systems, laptops and accounts, policies and benefits." },
  { name: "Launch Squad", department: null, lead: "zoe", description: "Marketing and Product working together on the Q3 launch." },
];

export interface PersonSeed {
  key: string;
  name: string;
  email?: string; // default: first.last@atrium.test
  title: string;
  department: string;
  manager: string | null;
  city: City;
  pronouns?: string;
  teams?: string[];
  /** skills by level, canonical names or synonyms from SKILLS/SYNONYMS */
  expert?: string[];
  mentor?: string[];
  learning?: string[];
  bio: string;
  links?: { label: string; url: string }[];
  status?: { text: string; emoji: string };
  role?: "admin" | "member";
  demoPassword?: string;
}

export const PEOPLE: PersonSeed[] = [
  // — Leadership —
  { key: "amara", name: "Amara Okafor", title: "Chief Executive Officer", department: "Leadership", manager: null, city: "London", pronouns: "she/her",
    expert: ["product strategy", "public speaking"], mentor: ["negotiation", "coaching"], learning: ["machine learning"],
    bio: "Co-founded Atrium Labs after a decade running customer operations. Happiest on a customer call or a whiteboard.",
    links: [{ label: "Blog", url: "https://blog.example.com/amara" }] },
  { key: "daniel", name: "Daniel Weiss", title: "Chief Operating Officer", department: "Leadership", manager: "amara", city: "New York", pronouns: "he/him",
    expert: ["financial modelling", "negotiation"], mentor: ["coaching", "revenue recognition"], learning: ["german"],
    bio: "Runs Sales, Support and Finance Operations. Reads the involvement dashboard every Monday morning." },

  // — Engineering —
  { key: "lena", name: "Lena Fischer", title: "VP Engineering", department: "Engineering", manager: "amara", city: "Berlin", pronouns: "she/her",
    expert: ["go", "postgresql"], mentor: ["coaching", "incident response", "kubernetes"], learning: ["machine learning"],
    bio: "Leads Engineering. Previously built payment infrastructure; still reviews database migrations for fun.",
    links: [{ label: "Engineering blog", url: "https://engineering.example.com/authors/lena" }] },
  { key: "oliver", name: "Oliver Grant", title: "Staff Engineer, Platform", department: "Engineering", manager: "lena", city: "London", pronouns: "he/him", teams: ["Platform"],
    expert: ["kubernetes", "terraform", "aws"], mentor: ["go", "observability", "single sign-on"], learning: ["rust"],
    bio: "Platform lead. Keeps the clusters boring and the deploys under ten minutes. Ask me about Helm charts and on-call.",
    status: { text: "On call this week", emoji: "📟" } },
  { key: "meilin", name: "Mei Lin Chen", title: "Site Reliability Engineer", department: "Engineering", manager: "oliver", city: "Singapore", pronouns: "she/her", teams: ["Platform"],
    expert: ["observability", "incident response"], mentor: ["kubernetes", "docker"], learning: ["terraform", "go"],
    bio: "SRE covering the APAC on-call rotation. Dashboards, alerts and post-incident reviews." },
  { key: "jakob", name: "Jakob Müller", title: "Senior Software Engineer", department: "Engineering", manager: "oliver", city: "Berlin", teams: ["Platform"],
    expert: ["go", "docker", "postgresql"], mentor: ["kubernetes"], learning: ["rust"],
    bio: "Builds the job queue and the file storage service. Cyclist, sourdough baker." },
  { key: "leo", name: "Leo Novak", email: "member@atrium.test", title: "Software Engineer", department: "Engineering", manager: "oliver", city: "London", pronouns: "he/him", teams: ["Platform"],
    expert: ["typescript"], mentor: ["node.js"], learning: ["kubernetes", "single sign-on", "go"],
    bio: "Joined the Platform team this month — first task: single sign-on for a big customer. Still learning where everything lives; say hello!",
    role: "member", demoPassword: "atrium-demo-member" },
  { key: "aisha", name: "Aisha Bello", title: "Engineering Manager, Web Experience", department: "Engineering", manager: "lena", city: "London", pronouns: "she/her", teams: ["Web Experience"],
    expert: ["react", "accessibility"], mentor: ["typescript", "coaching"], learning: ["graphql"],
    bio: "Leads Web Experience. Cares about keyboard users, fast pages and kind code reviews.",
    links: [{ label: "Talks", url: "https://talks.example.com/aisha-bello" }] },
  { key: "lucas", name: "Lucas Moreau", title: "Senior Frontend Engineer", department: "Engineering", manager: "aisha", city: "Lisbon", pronouns: "he/him", teams: ["Web Experience", "Launch Squad"],
    expert: ["react", "css", "design systems"], mentor: ["javascript"], learning: ["accessibility"],
    bio: "Owns the component library shared by Engineering and Design. Speaks French, Portuguese and CSS." },
  { key: "emily", name: "Emily Nguyen", title: "Frontend Engineer", department: "Engineering", manager: "aisha", city: "San Francisco", pronouns: "she/her", teams: ["Web Experience"],
    expert: ["typescript", "graphql"], mentor: ["react"], learning: ["postgresql"],
    bio: "Working on the directory and the profile pages. Previously at a design agency." },
  { key: "diego", name: "Diego Alvarez", title: "Full-stack Engineer", department: "Engineering", manager: "aisha", city: "New York", pronouns: "he/him", teams: ["Web Experience"],
    expert: ["node.js", "postgresql"], mentor: ["typescript", "spanish"], learning: ["machine learning"],
    bio: "Full-stack on notifications and the realtime layer. Ask me about Socket.io and websockets behind proxies." },
  { key: "noah", name: "Noah Patel", title: "Software Engineer", department: "Engineering", manager: "aisha", city: "Toronto", pronouns: "he/him", teams: ["Web Experience"],
    expert: ["javascript"], mentor: ["css"], learning: ["typescript", "accessibility"],
    bio: "Joined from the support team two years ago; still the person who reproduces customers' bugs fastest." },
  { key: "arjun", name: "Arjun Mehta", title: "Data Engineering Lead", department: "Engineering", manager: "lena", city: "Bangalore", pronouns: "he/him", teams: ["Data & ML"],
    expert: ["data engineering", "python", "sql"], mentor: ["machine learning", "postgresql"], learning: ["kubernetes"],
    bio: "Leads Data & ML: pipelines, the warehouse and the models behind insight sentiment.",
    links: [{ label: "Notebook gallery", url: "https://notebooks.example.com/arjun" }] },
  { key: "sophie", name: "Sophie Wright", title: "Machine Learning Engineer", department: "Engineering", manager: "arjun", city: "Sydney", pronouns: "she/her", teams: ["Data & ML"],
    expert: ["machine learning", "python"], mentor: ["sql"], learning: ["go"],
    bio: "Trains the sentiment and clustering models that group similar customer insights." },
  { key: "kwame", name: "Kwame Mensah", title: "Data Engineer", department: "Engineering", manager: "arjun", city: "London", pronouns: "he/him", teams: ["Data & ML"],
    expert: ["sql", "data engineering"], mentor: ["python"], learning: ["terraform"],
    bio: "Looks after ingestion and the dashboards' data. Will happily explain any metric's definition." },
  { key: "yuki", name: "Yuki Tanaka", title: "Search Engineer", department: "Engineering", manager: "arjun", city: "Singapore", teams: ["Data & ML"],
    expert: ["search relevance", "python"], mentor: ["japanese"], learning: ["machine learning"],
    bio: "Tunes ranking for people and document search. Fan of small, fast indexes." },

  // — Identity & Security —
  { key: "tomas", name: "Tomás Herrera", title: "Head of Identity & Security", department: "Identity & Security", manager: "amara", city: "London", pronouns: "he/him", teams: ["Identity", "Security Operations"],
    expert: ["threat modelling", "soc 2"], mentor: ["saml", "oidc", "incident response"], learning: ["machine learning"],
    bio: "Runs Identity & Security. Wrote our first SAML integration back when it was one engineer and a spreadsheet of IdPs.",
    links: [{ label: "Security page", url: "https://atrium.example.com/security" }] },
  { key: "priya", name: "Priya Raman", title: "Staff Engineer, Identity", department: "Identity & Security", manager: "tomas", city: "Bangalore", pronouns: "she/her", teams: ["Identity"],
    expert: ["saml", "single sign-on", "oidc", "scim"], mentor: ["go", "oauth"], learning: ["rust"],
    bio: "Identity team lead. I have debugged SAML assertions from every major IdP — Okta, Entra ID, Google, OneLogin, ADFS. Bring me your clock-skew errors.",
    links: [{ label: "SSO runbook", url: "https://docs.example.com/runbooks/sso" }, { label: "Email", url: "mailto:priya.raman@atrium.test" }],
    status: { text: "Rolling out SCIM v2", emoji: "🔐" } },
  { key: "kenji", name: "Kenji Watanabe", title: "Senior Identity Engineer", department: "Identity & Security", manager: "priya", city: "Singapore", pronouns: "he/him", teams: ["Identity"],
    expert: ["oidc", "oauth"], mentor: ["saml", "go", "japanese"], learning: ["scim"],
    bio: "Works on OIDC and session security. Maintains the IdP test harness." },
  { key: "isabel", name: "Isabel Santos", title: "Identity Engineer", department: "Identity & Security", manager: "priya", city: "Lisbon", pronouns: "she/her", teams: ["Identity"],
    expert: ["typescript"], mentor: ["portuguese"], learning: ["saml", "scim", "oidc"],
    bio: "Moved from the web team to Identity last quarter. Building the SSO set-up wizard for admins." },
  { key: "ravi", name: "Ravi Kumar", title: "Security Operations Lead", department: "Identity & Security", manager: "tomas", city: "Bangalore", pronouns: "he/him", teams: ["Security Operations"],
    expert: ["incident response", "penetration testing"], mentor: ["threat modelling", "aws"], learning: ["kubernetes"],
    bio: "Leads detection and response. If you see something odd in your account, tell me first." },
  { key: "elena", name: "Elena Petrova", title: "Security Analyst", department: "Identity & Security", manager: "ravi", city: "Berlin", pronouns: "she/her", teams: ["Security Operations"],
    expert: ["soc 2", "gdpr"], mentor: ["german"], learning: ["penetration testing"],
    bio: "Evidence for audits, vendor reviews and data-protection questions." },
  { key: "liam", name: "Liam O'Connor", title: "Security Engineer", department: "Identity & Security", manager: "ravi", city: "Sydney", pronouns: "he/him", teams: ["Security Operations"],
    expert: ["penetration testing", "aws"], mentor: ["terraform"], learning: ["oidc"],
    bio: "Breaks our product before anyone else does. Runs the bug bounty programme." },

  // — Product —
  { key: "hannah", name: "Hannah Cole", title: "VP Product", department: "Product", manager: "amara", city: "San Francisco", pronouns: "she/her",
    expert: ["product strategy", "roadmapping"], mentor: ["user research", "coaching"], learning: ["sql"],
    bio: "Leads Product Management and Design. Believes every roadmap item should start with a customer quote." },
  { key: "zoe", name: "Zoe Anderson", title: "Senior Product Manager", department: "Product", manager: "hannah", city: "London", pronouns: "she/her", teams: ["Product Management", "Launch Squad"],
    expert: ["product discovery", "roadmapping"], mentor: ["user research"], learning: ["sql"],
    bio: "PM for documents and collaboration. Driving the Q3 launch brief with Marketing." },
  { key: "mateo", name: "Mateo Rossi", title: "Product Manager", department: "Product", manager: "hannah", city: "New York", pronouns: "he/him", teams: ["Product Management"],
    expert: ["product discovery"], mentor: ["italian", "spanish"], learning: ["single sign-on", "machine learning"],
    bio: "PM for customer insights and routing. Spends Fridays listening in on support calls." },
  { key: "nina", name: "Nina Kowalski", title: "Product Manager, Platform", department: "Product", manager: "hannah", city: "Berlin", teams: ["Product Management"],
    expert: ["roadmapping"], mentor: ["single sign-on", "german"], learning: ["kubernetes"],
    bio: "PM for identity, admin and the API. Translates enterprise security questionnaires into features." },
  { key: "freya", name: "Freya Jensen", title: "Design Lead", department: "Product", manager: "hannah", city: "London", pronouns: "she/her", teams: ["Product Design", "Launch Squad"],
    expert: ["interaction design", "design systems", "figma"], mentor: ["accessibility", "user research"], learning: ["react"],
    bio: "Leads Product Design. Sketches first, pixels later.",
    links: [{ label: "Portfolio", url: "https://portfolio.example.com/freya" }] },
  { key: "omar", name: "Omar Farouk", title: "Product Designer", department: "Product", manager: "freya", city: "New York", pronouns: "he/him", teams: ["Product Design"],
    expert: ["figma", "interaction design"], mentor: ["arabic"], learning: ["css"],
    bio: "Designing the Q&A and insights flows. Former architect." },
  { key: "leah", name: "Leah Goldberg", title: "User Researcher", department: "Product", manager: "freya", city: "San Francisco", pronouns: "they/them", teams: ["Product Design"],
    expert: ["user research"], mentor: ["product discovery"], learning: ["figma", "sql"],
    bio: "Runs interviews and usability studies. Happy to help you plan a customer conversation." },

  // — Marketing —
  { key: "chloe", name: "Chloé Martin", title: "VP Marketing", department: "Marketing", manager: "amara", city: "London", pronouns: "she/her",
    expert: ["brand strategy", "public speaking"], mentor: ["copywriting", "french"], learning: ["marketing analytics"],
    bio: "Leads Marketing. Wants every customer complaint on social media answered within the hour." },
  { key: "harriet", name: "Harriet Blake", title: "Head of Brand & Content", department: "Marketing", manager: "chloe", city: "London", pronouns: "she/her", teams: ["Brand & Content", "Launch Squad"],
    expert: ["copywriting", "brand strategy"], mentor: ["social media"], learning: ["seo"],
    bio: "Owns the website, the blog and the launch narrative. Will edit your headline whether you ask or not." },
  { key: "tariq", name: "Tariq Hassan", title: "Content Writer", department: "Marketing", manager: "harriet", city: "Sydney", teams: ["Brand & Content"],
    expert: ["copywriting"], mentor: ["seo"], learning: ["user research"],
    bio: "Writes case studies and the customer newsletter. Collects good customer quotes." },
  { key: "jess", name: "Jess Park", title: "Social Media Manager", department: "Marketing", manager: "harriet", city: "San Francisco", pronouns: "she/her", teams: ["Brand & Content"],
    expert: ["social media"], mentor: ["copywriting", "korean"], learning: ["marketing analytics"],
    bio: "Runs our Twitter, LinkedIn and Instagram; passes every complaint I see to Social Care." },
  { key: "ryan", name: "Ryan Brooks", title: "Growth Marketing Lead", department: "Marketing", manager: "chloe", city: "New York", pronouns: "he/him", teams: ["Growth Marketing"],
    expert: ["paid acquisition", "marketing analytics"], mentor: ["seo", "sql"], learning: ["machine learning"],
    bio: "Campaigns, experiments and the funnel dashboard." },
  { key: "ana", name: "Ana Lima", title: "Growth Marketer", department: "Marketing", manager: "ryan", city: "Lisbon", pronouns: "she/her", teams: ["Growth Marketing", "Launch Squad"],
    expert: ["seo"], mentor: ["portuguese", "spanish"], learning: ["paid acquisition", "sql"],
    bio: "SEO and lifecycle email. Working on the Q3 launch landing pages." },

  // — Sales —
  { key: "marcus", name: "Marcus Johnson", title: "VP Sales", department: "Sales", manager: "daniel", city: "New York", pronouns: "he/him",
    expert: ["enterprise sales", "negotiation"], mentor: ["salesforce", "coaching"], learning: ["single sign-on"],
    bio: "Leads Sales. Thirty-one quarters, one missed forecast, and he still talks about it." },
  { key: "olivia", name: "Olivia Bennett", title: "Enterprise Sales Director", department: "Sales", manager: "marcus", city: "New York", pronouns: "she/her", teams: ["Enterprise Sales"],
    expert: ["enterprise sales", "salesforce"], mentor: ["negotiation"], learning: ["soc 2"],
    bio: "Leads the enterprise account executives across all regions." },
  { key: "felix", name: "Felix Wagner", title: "Account Executive, DACH", department: "Sales", manager: "olivia", city: "Berlin", pronouns: "he/him", teams: ["Enterprise Sales"],
    expert: ["enterprise sales", "german"], mentor: ["gdpr"], learning: ["salesforce"],
    bio: "Sells to German, Austrian and Swiss customers. Ask me about works councils and data residency." },
  { key: "charlotte", name: "Charlotte Evans", title: "Account Executive, UK & Ireland", department: "Sales", manager: "olivia", city: "London", pronouns: "she/her", teams: ["Enterprise Sales"],
    expert: ["negotiation"], mentor: ["salesforce"], learning: ["soc 2"],
    bio: "Public sector and financial services accounts in the UK and Ireland." },
  { key: "wei", name: "Wei Zhang", title: "Account Executive, APAC", department: "Sales", manager: "olivia", city: "Singapore", teams: ["Enterprise Sales"],
    expert: ["enterprise sales", "mandarin"], mentor: ["negotiation"], learning: ["japanese"],
    bio: "Covers Singapore, Hong Kong and Australia." },
  { key: "pedro", name: "Pedro Costa", title: "Solutions Engineering Manager", department: "Sales", manager: "marcus", city: "San Francisco", pronouns: "he/him", teams: ["Solutions Engineering"],
    expert: ["solution architecture", "single sign-on"], mentor: ["aws", "portuguese"], learning: ["scim"],
    bio: "Runs technical evaluations. Has set up SSO with more prospects' IT teams than anyone." },
  { key: "hamid", name: "Hamid Rahimi", title: "Solutions Engineer", department: "Sales", manager: "pedro", city: "Sydney", pronouns: "he/him", teams: ["Solutions Engineering"],
    expert: ["solution architecture"], mentor: ["javascript"], learning: ["saml", "oidc"],
    bio: "Proofs of concept for APAC customers; currently learning the SAML side of SSO set-up." },

  // — Customer Support —
  { key: "grace", name: "Grace Tan", title: "Head of Customer Support", department: "Customer Support", manager: "daniel", city: "Singapore", pronouns: "she/her",
    expert: ["customer onboarding", "zendesk"], mentor: ["de-escalation", "coaching", "mandarin"], learning: ["sql"],
    bio: "Runs Support across three time zones. Measures us by how fast customers hear back." },
  { key: "maya", name: "Maya Thompson", title: "Social Care Lead", department: "Customer Support", manager: "grace", city: "London", pronouns: "she/her", teams: ["Social Care"],
    expert: ["social media", "de-escalation"], mentor: ["zendesk"], learning: ["billing"],
    bio: "Leads Social Care. When a customer complains on Twitter, I make sure the right team hears about it the same day.",
    status: { text: "Watching the billing hashtag", emoji: "👀" } },
  { key: "luis", name: "Luis Fernández", title: "Social Care Specialist", department: "Customer Support", manager: "maya", city: "New York", pronouns: "he/him", teams: ["Social Care"],
    expert: ["de-escalation", "spanish"], mentor: ["social media"], learning: ["copywriting"],
    bio: "Answers customers in English and Spanish across social channels." },
  { key: "aoife", name: "Aoife Byrne", title: "Social Care Specialist", department: "Customer Support", manager: "maya", city: "London", pronouns: "she/her", teams: ["Social Care"],
    expert: ["zendesk"], mentor: ["de-escalation"], learning: ["social media", "billing"],
    bio: "Community forums and Facebook. Keeps the list of recurring complaints." },
  { key: "rahul", name: "Rahul Desai", title: "Technical Support Lead", department: "Customer Support", manager: "grace", city: "Bangalore", pronouns: "he/him", teams: ["Technical Support"],
    expert: ["troubleshooting", "sql"], mentor: ["single sign-on", "hindi"], learning: ["saml"],
    bio: "Second-line support. SSO tickets land with me before they reach Identity." },
  { key: "sarah", name: "Sarah Kim", title: "Technical Support Engineer", department: "Customer Support", manager: "rahul", city: "San Francisco", pronouns: "she/her", teams: ["Technical Support"],
    expert: ["troubleshooting"], mentor: ["javascript", "korean"], learning: ["postgresql"],
    bio: "Integrations, webhooks and data imports for North American customers." },
  { key: "tom", name: "Tom Hughes", title: "Technical Support Engineer", department: "Customer Support", manager: "rahul", city: "Sydney", pronouns: "he/him", teams: ["Technical Support"],
    expert: ["troubleshooting", "customer onboarding"], mentor: ["zendesk"], learning: ["python"],
    bio: "Covers the APAC morning. Writes the help-centre articles nobody else wants to." },

  // — Finance Operations —
  { key: "rajesh", name: "Rajesh Iyer", title: "Head of Finance Operations", department: "Finance Operations", manager: "daniel", city: "London", pronouns: "he/him", teams: ["Finance Operations"],
    expert: ["revenue recognition", "financial modelling"], mentor: ["netsuite", "excel"], learning: ["sql"],
    bio: "Runs billing, receivables and revenue. Our invoices should never surprise a customer." },
  { key: "james", name: "James Whitaker", title: "Billing Operations Manager", department: "Finance Operations", manager: "rajesh", city: "London", pronouns: "he/him", teams: ["Finance Operations"],
    expert: ["billing", "invoicing"], mentor: ["netsuite"], learning: ["sql"],
    bio: "Leads the Finance Operations team. If an invoice is wrong, it comes to me — please send the account name." },
  { key: "ananya", name: "Ananya Rao", title: "Accounts Receivable Specialist", department: "Finance Operations", manager: "rajesh", city: "Bangalore", pronouns: "she/her", teams: ["Finance Operations"],
    expert: ["accounts receivable", "excel"], mentor: ["hindi"], learning: ["revenue recognition"],
    bio: "Collections and payment plans. Knows every customer's payment terms by heart." },
  { key: "carlos", name: "Carlos Mendes", title: "Billing Specialist", department: "Finance Operations", manager: "rajesh", city: "New York", pronouns: "he/him", teams: ["Finance Operations"],
    expert: ["invoicing", "billing"], mentor: ["spanish"], learning: ["netsuite"],
    bio: "Invoices, credit notes and refunds for the Americas." },
  { key: "hana", name: "Hana Sato", title: "Revenue Accountant", department: "Finance Operations", manager: "rajesh", city: "Singapore", pronouns: "she/her", teams: ["Finance Operations"],
    expert: ["revenue recognition", "netsuite"], mentor: ["japanese", "excel"], learning: ["financial modelling"],
    bio: "Month-end close and revenue schedules for APAC entities." },

  // — People & HR —
  { key: "sofia", name: "Sofia Lindqvist", title: "Chief People Officer", department: "People & HR", manager: "amara", city: "London", pronouns: "she/her",
    expert: ["compensation", "employment law"], mentor: ["coaching", "public speaking"], learning: ["marketing analytics"],
    bio: "Leads People & HR. Wants every new joiner to know three colleagues by name on day one." },
  { key: "nadia", name: "Nadia Haddad", email: "admin@atrium.test", title: "People Operations & IT Manager", department: "People & HR", manager: "sofia", city: "London", pronouns: "she/her", teams: ["People Operations"],
    expert: ["employee onboarding"], mentor: ["single sign-on", "arabic", "french"], learning: ["scim"],
    bio: "Runs People Operations and internal IT: accounts, laptops and Atrium itself. I administer the directory — ask me to fix your department or manager.",
    links: [{ label: "IT help", url: "mailto:it@atrium.test" }],
    role: "admin", demoPassword: "atrium-demo-admin" },
  { key: "michael", name: "Michael O'Brien", title: "HR Business Partner", department: "People & HR", manager: "sofia", city: "New York", pronouns: "he/him", teams: ["People Operations"],
    expert: ["employment law", "coaching"], mentor: ["compensation"], learning: ["spanish"],
    bio: "HR partner for Sales, Support and Finance Operations in the Americas." },
  { key: "aditi", name: "Aditi Sharma", title: "Technical Recruiter", department: "People & HR", manager: "sofia", city: "Bangalore", pronouns: "she/her", teams: ["People Operations"],
    expert: ["recruiting"], mentor: ["hindi"], learning: ["go", "kubernetes"],
    bio: "Hires engineers for Bangalore and Singapore. Learning enough Go to ask better interview questions." },
  { key: "jack", name: "Jack Wilson", title: "Talent Partner", department: "People & HR", manager: "sofia", city: "Sydney", pronouns: "he/him", teams: ["People Operations"],
    expert: ["recruiting", "employee onboarding"], mentor: ["public speaking"], learning: ["compensation"],
    bio: "Recruiting and onboarding for APAC; runs the new-joiner buddy programme." },
];

/** The shared vocabulary: canonical lower-case name → display label. */
export const SKILLS: Record<string, string> = {
  kubernetes: "Kubernetes", terraform: "Terraform", aws: "AWS", docker: "Docker", observability: "Observability",
  "incident response": "Incident response", go: "Go", rust: "Rust", typescript: "TypeScript", javascript: "JavaScript",
  "node.js": "Node.js", react: "React", css: "CSS", graphql: "GraphQL", accessibility: "Accessibility",
  "design systems": "Design systems", postgresql: "PostgreSQL", sql: "SQL", python: "Python",
  "data engineering": "Data engineering", "machine learning": "Machine learning", "search relevance": "Search relevance",
  saml: "SAML", oidc: "OIDC", oauth: "OAuth", scim: "SCIM", "single sign-on": "Single sign-on",
  "threat modelling": "Threat modelling", "penetration testing": "Penetration testing", "soc 2": "SOC 2", gdpr: "GDPR",
  "product strategy": "Product strategy", "product discovery": "Product discovery", roadmapping: "Roadmapping",
  "user research": "User research", "interaction design": "Interaction design", figma: "Figma",
  "brand strategy": "Brand strategy", copywriting: "Copywriting", "social media": "Social media", seo: "SEO",
  "paid acquisition": "Paid acquisition", "marketing analytics": "Marketing analytics",
  "enterprise sales": "Enterprise sales", negotiation: "Negotiation", salesforce: "Salesforce",
  "solution architecture": "Solution architecture", "customer onboarding": "Customer onboarding", zendesk: "Zendesk",
  "de-escalation": "De-escalation", troubleshooting: "Troubleshooting", billing: "Billing", invoicing: "Invoicing",
  "accounts receivable": "Accounts receivable", "revenue recognition": "Revenue recognition",
  "financial modelling": "Financial modelling", netsuite: "NetSuite", excel: "Excel",
  recruiting: "Recruiting", "employee onboarding": "Employee onboarding", compensation: "Compensation",
  "employment law": "Employment law", coaching: "Coaching", "public speaking": "Public speaking",
  german: "German", french: "French", spanish: "Spanish", portuguese: "Portuguese", italian: "Italian",
  japanese: "Japanese", mandarin: "Mandarin", korean: "Korean", hindi: "Hindi", arabic: "Arabic",
};

/** Aliases people type → canonical skill. "k8s" finds "kubernetes". */
export const SYNONYMS: Record<string, string> = {
  k8s: "kubernetes", js: "javascript", ts: "typescript", sso: "single sign-on", postgres: "postgresql",
  ml: "machine learning", "saml 2.0": "saml", saml2: "saml", "openid connect": "oidc", oauth2: "oauth",
  "oauth 2.0": "oauth", reactjs: "react", "react.js": "react", node: "node.js", nodejs: "node.js",
  golang: "go", "amazon web services": "aws", a11y: "accessibility", "ux research": "user research",
  "search engine optimisation": "seo", "search engine optimization": "seo", sfdc: "salesforce",
  "rev rec": "revenue recognition", pentesting: "penetration testing", "threat modeling": "threat modelling",
  "financial modeling": "financial modelling", hiring: "recruiting", "mandarin chinese": "mandarin",
};
