-- 0001 foundation: the 17 reporting units and the company registry.

-- The 16 districts by GB/T 2260 code, and Lingang (project code LG, not a legal district).
CREATE TABLE reporting_units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    is_district INTEGER NOT NULL CHECK (is_district IN (0, 1)),
    sort_order INTEGER NOT NULL UNIQUE
);

INSERT INTO reporting_units (code, name, is_district, sort_order) VALUES
    ('310101', '黄浦区', 1, 1),
    ('310104', '徐汇区', 1, 2),
    ('310105', '长宁区', 1, 3),
    ('310106', '静安区', 1, 4),
    ('310107', '普陀区', 1, 5),
    ('310109', '虹口区', 1, 6),
    ('310110', '杨浦区', 1, 7),
    ('310112', '闵行区', 1, 8),
    ('310113', '宝山区', 1, 9),
    ('310114', '嘉定区', 1, 10),
    ('310115', '浦东新区', 1, 11),
    ('310116', '金山区', 1, 12),
    ('310117', '松江区', 1, 13),
    ('310118', '青浦区', 1, 14),
    ('310120', '奉贤区', 1, 15),
    ('310151', '崇明区', 1, 16),
    ('LG', '临港新片区', 0, 17);

-- Companies are identified city-wide by their USCC (validated by the domain before insert).
CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    uscc TEXT NOT NULL UNIQUE CHECK (length(uscc) = 18),
    name TEXT NOT NULL CHECK (length(name) > 0),
    ownership TEXT NOT NULL CHECK (ownership IN ('stateWhollyOwned', 'stateControlled', 'private', 'other')),
    district_group INTEGER NOT NULL CHECK (district_group IN (0, 1)),
    registered_address TEXT,
    created_at REAL NOT NULL
);
