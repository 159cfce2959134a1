-- 0001 foundation: the 17 reporting units and the company registry.

-- The 16 districts by GB/T 2260 code, and Lingang (project code LG, not a legal district).
CREATE TABLE reporting_units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    is_district BOOLEAN NOT NULL,
    sort_order INTEGER NOT NULL UNIQUE
);

INSERT INTO reporting_units (code, name, is_district, sort_order) VALUES
    ('310101', '黄浦区', TRUE, 1),
    ('310104', '徐汇区', TRUE, 2),
    ('310105', '长宁区', TRUE, 3),
    ('310106', '静安区', TRUE, 4),
    ('310107', '普陀区', TRUE, 5),
    ('310109', '虹口区', TRUE, 6),
    ('310110', '杨浦区', TRUE, 7),
    ('310112', '闵行区', TRUE, 8),
    ('310113', '宝山区', TRUE, 9),
    ('310114', '嘉定区', TRUE, 10),
    ('310115', '浦东新区', TRUE, 11),
    ('310116', '金山区', TRUE, 12),
    ('310117', '松江区', TRUE, 13),
    ('310118', '青浦区', TRUE, 14),
    ('310120', '奉贤区', TRUE, 15),
    ('310151', '崇明区', TRUE, 16),
    ('LG', '临港新片区', FALSE, 17);

-- Companies are identified city-wide by their USCC (validated by the domain before insert).
CREATE TABLE companies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uscc TEXT NOT NULL UNIQUE CHECK (length(uscc) = 18),
    name TEXT NOT NULL CHECK (length(name) > 0),
    ownership TEXT NOT NULL CHECK (ownership IN ('stateWhollyOwned', 'stateControlled', 'private', 'other')),
    district_group BOOLEAN NOT NULL,
    registered_address TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
