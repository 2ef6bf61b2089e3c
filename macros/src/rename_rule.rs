//! serde's `rename_all` rules, applied exactly as serde_derive applies them, so the wire names the
//! macro checks are the ones serde reads and writes. (serde_derive does not export its rules, and
//! case crates such as heck split words differently, e.g. `HTTPServer`.)

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    pub fn from_name(name: &str) -> Option<RenameRule> {
        Some(match name {
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "PascalCase" => RenameRule::Pascal,
            "camelCase" => RenameRule::Camel,
            "snake_case" => RenameRule::Snake,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "kebab-case" => RenameRule::Kebab,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebab,
            _ => return None,
        })
    }

    /// A struct field name (snake_case by convention) as serde renames it.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut pascal = String::new();
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            RenameRule::Camel => {
                let pascal = RenameRule::Pascal.apply_to_field(field);
                lower_first(&pascal)
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => RenameRule::ScreamingSnake.apply_to_field(field).replace('_', "-"),
        }
    }

    /// An enum variant name (PascalCase by convention) as serde renames it.
    pub fn apply_to_variant(self, variant: &str) -> String {
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => lower_first(variant),
            RenameRule::Snake => {
                let mut snake = String::new();
                for (i, ch) in variant.char_indices() {
                    if i > 0 && ch.is_uppercase() {
                        snake.push('_');
                    }
                    snake.push(ch.to_ascii_lowercase());
                }
                snake
            }
            RenameRule::ScreamingSnake => RenameRule::Snake.apply_to_variant(variant).to_ascii_uppercase(),
            RenameRule::Kebab => RenameRule::Snake.apply_to_variant(variant).replace('_', "-"),
            RenameRule::ScreamingKebab => RenameRule::ScreamingSnake.apply_to_variant(variant).replace('_', "-"),
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::RenameRule::{self, *};

    #[test]
    fn fields_and_variants_as_serde_renames_them() {
        let cases: [(RenameRule, &str, &str); 8] = [
            (Lower, "order_number", "outofstock"),
            (Upper, "ORDER_NUMBER", "OUTOFSTOCK"),
            (Pascal, "OrderNumber", "OutOfStock"),
            (Camel, "orderNumber", "outOfStock"),
            (Snake, "order_number", "out_of_stock"),
            (ScreamingSnake, "ORDER_NUMBER", "OUT_OF_STOCK"),
            (Kebab, "order-number", "out-of-stock"),
            (ScreamingKebab, "ORDER-NUMBER", "OUT-OF-STOCK"),
        ];
        for (rule, field, variant) in cases {
            assert_eq!(rule.apply_to_field("order_number"), field, "{rule:?}");
            assert_eq!(rule.apply_to_variant("OutOfStock"), variant, "{rule:?}");
        }
        // serde splits every capital, unlike word-aware case crates.
        assert_eq!(Snake.apply_to_variant("HTTPServer"), "h_t_t_p_server");
        assert_eq!(RenameRule::from_name("camelCase"), Some(Camel));
        assert_eq!(RenameRule::from_name("camel"), None);
    }
}
