//! The taxonomy of schema changes: every kind a differ can report, with what it does to the set
//! of accepted documents and which semver bump it needs under the event guidelines.
//!
//! JSON Schema kinds follow the schema registries' JSON Schema difference types (Confluent's
//! `Difference.Type` names), made finer where the event guidelines care (nullability, formats,
//! `x-extensible-enum`, discriminators, defaults). Avro kinds follow Avro's schema resolution
//! rules; Protobuf kinds follow buf's `WIRE` and `WIRE_JSON` breaking rules.

/// What a change does to the documents a schema accepts (or the data a reader can decode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Accepts nothing more and nothing less.
    Neutral,
    /// The new schema accepts more: a reader on NEW reads OLD data; a reader on OLD may not
    /// read NEW data.
    Relaxed,
    /// The new schema accepts less: a reader on OLD reads NEW data; not the other way.
    Tightened,
    /// Neither contains the other.
    Changed,
}

impl Effect {
    /// A consumer on NEW reads data written with OLD.
    pub fn backward(self) -> bool {
        matches!(self, Effect::Neutral | Effect::Relaxed)
    }

    /// A consumer on OLD reads data written with NEW.
    pub fn forward(self) -> bool {
        matches!(self, Effect::Neutral | Effect::Tightened)
    }
}

/// How the event guidelines' versioning rules see a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Titles, descriptions, examples, vendor extensions: PATCH.
    Annotation,
    /// New optional fields, definitions, extensible enum values: MINOR.
    Addition,
    /// Removing fields or guarantees: MAJOR in every mode (the guidelines' "removing fields").
    Removal,
    /// Changes to what is accepted: MINOR where the mode's direction allows it, else MAJOR.
    Constraint,
    /// Changes the guidelines (and Nakadi) make MAJOR whatever their effect.
    Breaking,
}

macro_rules! kinds {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $strict:ident, $tolerant:ident, $class:ident;)*) => {
        /// A named kind of schema change.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ChangeKind {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ChangeKind {
            /// Every kind, in taxonomy order.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$variant,)*];

            /// The stable name printed in reports (`PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL`).
            pub fn name(self) -> &'static str {
                match self { $(ChangeKind::$variant => $name,)* }
            }

            /// One line saying what the kind means.
            pub fn doc(self) -> &'static str {
                match self { $(ChangeKind::$variant => concat!($($doc),*).trim_start(),)* }
            }

            /// The effect under the registries' strict set semantics (Confluent's BACKWARD and
            /// FORWARD): a schema accepts exactly the documents it validates.
            pub fn strict(self) -> Effect {
                match self { $(ChangeKind::$variant => Effect::$strict,)* }
            }

            /// The effect under the event guidelines: producers never publish undeclared fields,
            /// and consumers ignore fields they do not know even under `additionalProperties: false`.
            pub fn tolerant(self) -> Effect {
                match self { $(ChangeKind::$variant => Effect::$tolerant,)* }
            }

            pub fn class(self) -> Class {
                match self { $(ChangeKind::$variant => Class::$class,)* }
            }
        }
    };
}

kinds! {
    // Annotations and identity.
    /// `title` changed.
    TitleChanged = "TITLE_CHANGED", Neutral, Neutral, Annotation;
    /// `description` changed.
    DescriptionChanged = "DESCRIPTION_CHANGED", Neutral, Neutral, Annotation;
    /// `examples` or `$comment` changed.
    ExamplesChanged = "EXAMPLES_CHANGED", Neutral, Neutral, Annotation;
    /// `deprecated` changed.
    DeprecatedChanged = "DEPRECATED_CHANGED", Neutral, Neutral, Annotation;
    /// `readOnly` or `writeOnly` changed.
    ReadOnlyChanged = "READ_ONLY_CHANGED", Neutral, Neutral, Annotation;
    /// An `x-` vendor extension (other than `x-extensible-enum`) changed.
    ExtensionChanged = "EXTENSION_CHANGED", Neutral, Neutral, Annotation;
    /// `$schema` changed; what the keywords mean is compared after normalising the drafts.
    DialectChanged = "DIALECT_CHANGED", Neutral, Neutral, Annotation;
    /// A `$ref` points to another definition (compared by content; generated type names follow it).
    RefTargetChanged = "REF_TARGET_CHANGED", Neutral, Neutral, Annotation;
    /// `$id` (`id` in draft 04) changed: references to the schema by its id break.
    IdChanged = "ID_CHANGED", Neutral, Changed, Breaking;
    /// A definition was added under `definitions` or `$defs`.
    DefinitionAdded = "DEFINITION_ADDED", Neutral, Neutral, Addition;
    /// A definition was removed from `definitions` or `$defs`.
    DefinitionRemoved = "DEFINITION_REMOVED", Neutral, Neutral, Removal;
    /// A keyword without a finer kind changed.
    KeywordChanged = "KEYWORD_CHANGED", Changed, Changed, Constraint;

    // Types.
    /// The type changed to an unrelated one.
    TypeChanged = "TYPE_CHANGED", Changed, Changed, Constraint;
    /// The type accepts more (`integer` → `number`, a type added, `type` removed).
    TypeExtended = "TYPE_EXTENDED", Relaxed, Relaxed, Constraint;
    /// The type accepts less (`number` → `integer`, a type removed, `type` added).
    TypeNarrowed = "TYPE_NARROWED", Tightened, Tightened, Constraint;
    /// `null` became allowed (`nullable: true`, `"null"` in `type`).
    NullableAdded = "NULLABLE_ADDED", Relaxed, Relaxed, Constraint;
    /// `null` is no longer allowed.
    NullableRemoved = "NULLABLE_REMOVED", Tightened, Tightened, Constraint;
    /// A schema became `false` (nothing is valid).
    FalseSchemaAdded = "FALSE_SCHEMA_ADDED", Tightened, Tightened, Constraint;
    /// A `false` schema became something that accepts values.
    FalseSchemaRemoved = "FALSE_SCHEMA_REMOVED", Relaxed, Relaxed, Constraint;
    /// A subschema keyword (`items`, `not`, `contains`, `propertyNames`, …) was added.
    SchemaAdded = "SCHEMA_ADDED", Tightened, Tightened, Constraint;
    /// A subschema keyword was removed.
    SchemaRemoved = "SCHEMA_REMOVED", Relaxed, Relaxed, Constraint;
    /// `format` was added.
    FormatAdded = "FORMAT_ADDED", Tightened, Tightened, Constraint;
    /// `format` was removed.
    FormatRemoved = "FORMAT_REMOVED", Relaxed, Relaxed, Constraint;
    /// `format` changed.
    FormatChanged = "FORMAT_CHANGED", Changed, Changed, Constraint;
    /// A `default` was added.
    DefaultAdded = "DEFAULT_ADDED", Neutral, Neutral, Addition;
    /// A `default` was removed: absent values mean something else now.
    DefaultRemoved = "DEFAULT_REMOVED", Neutral, Changed, Constraint;
    /// The `default` changed: absent values mean something else now.
    DefaultChanged = "DEFAULT_CHANGED", Neutral, Changed, Constraint;

    // Strings.
    /// `maxLength` added.
    MaxLengthAdded = "MAX_LENGTH_ADDED", Tightened, Tightened, Constraint;
    /// `maxLength` removed.
    MaxLengthRemoved = "MAX_LENGTH_REMOVED", Relaxed, Relaxed, Constraint;
    /// `maxLength` increased.
    MaxLengthIncreased = "MAX_LENGTH_INCREASED", Relaxed, Relaxed, Constraint;
    /// `maxLength` decreased.
    MaxLengthDecreased = "MAX_LENGTH_DECREASED", Tightened, Tightened, Constraint;
    /// `minLength` added.
    MinLengthAdded = "MIN_LENGTH_ADDED", Tightened, Tightened, Constraint;
    /// `minLength` removed.
    MinLengthRemoved = "MIN_LENGTH_REMOVED", Relaxed, Relaxed, Constraint;
    /// `minLength` increased.
    MinLengthIncreased = "MIN_LENGTH_INCREASED", Tightened, Tightened, Constraint;
    /// `minLength` decreased.
    MinLengthDecreased = "MIN_LENGTH_DECREASED", Relaxed, Relaxed, Constraint;
    /// `pattern` added.
    PatternAdded = "PATTERN_ADDED", Tightened, Tightened, Constraint;
    /// `pattern` removed.
    PatternRemoved = "PATTERN_REMOVED", Relaxed, Relaxed, Constraint;
    /// `pattern` changed.
    PatternChanged = "PATTERN_CHANGED", Changed, Changed, Constraint;

    // Numbers (draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum` are read as numeric bounds).
    /// `maximum` added.
    MaximumAdded = "MAXIMUM_ADDED", Tightened, Tightened, Constraint;
    /// `maximum` removed.
    MaximumRemoved = "MAXIMUM_REMOVED", Relaxed, Relaxed, Constraint;
    /// `maximum` increased.
    MaximumIncreased = "MAXIMUM_INCREASED", Relaxed, Relaxed, Constraint;
    /// `maximum` decreased.
    MaximumDecreased = "MAXIMUM_DECREASED", Tightened, Tightened, Constraint;
    /// `minimum` added.
    MinimumAdded = "MINIMUM_ADDED", Tightened, Tightened, Constraint;
    /// `minimum` removed.
    MinimumRemoved = "MINIMUM_REMOVED", Relaxed, Relaxed, Constraint;
    /// `minimum` increased.
    MinimumIncreased = "MINIMUM_INCREASED", Tightened, Tightened, Constraint;
    /// `minimum` decreased.
    MinimumDecreased = "MINIMUM_DECREASED", Relaxed, Relaxed, Constraint;
    /// `exclusiveMaximum` added.
    ExclusiveMaximumAdded = "EXCLUSIVE_MAXIMUM_ADDED", Tightened, Tightened, Constraint;
    /// `exclusiveMaximum` removed.
    ExclusiveMaximumRemoved = "EXCLUSIVE_MAXIMUM_REMOVED", Relaxed, Relaxed, Constraint;
    /// The exclusive maximum increased.
    ExclusiveMaximumIncreased = "EXCLUSIVE_MAXIMUM_INCREASED", Relaxed, Relaxed, Constraint;
    /// The exclusive maximum decreased.
    ExclusiveMaximumDecreased = "EXCLUSIVE_MAXIMUM_DECREASED", Tightened, Tightened, Constraint;
    /// `exclusiveMinimum` added.
    ExclusiveMinimumAdded = "EXCLUSIVE_MINIMUM_ADDED", Tightened, Tightened, Constraint;
    /// `exclusiveMinimum` removed.
    ExclusiveMinimumRemoved = "EXCLUSIVE_MINIMUM_REMOVED", Relaxed, Relaxed, Constraint;
    /// The exclusive minimum increased.
    ExclusiveMinimumIncreased = "EXCLUSIVE_MINIMUM_INCREASED", Tightened, Tightened, Constraint;
    /// The exclusive minimum decreased.
    ExclusiveMinimumDecreased = "EXCLUSIVE_MINIMUM_DECREASED", Relaxed, Relaxed, Constraint;
    /// `multipleOf` added.
    MultipleOfAdded = "MULTIPLE_OF_ADDED", Tightened, Tightened, Constraint;
    /// `multipleOf` removed.
    MultipleOfRemoved = "MULTIPLE_OF_REMOVED", Relaxed, Relaxed, Constraint;
    /// `multipleOf` became a multiple of the old value.
    MultipleOfExpanded = "MULTIPLE_OF_EXPANDED", Tightened, Tightened, Constraint;
    /// The old `multipleOf` is a multiple of the new one.
    MultipleOfReduced = "MULTIPLE_OF_REDUCED", Relaxed, Relaxed, Constraint;
    /// `multipleOf` changed with no divisibility between the values.
    MultipleOfChanged = "MULTIPLE_OF_CHANGED", Changed, Changed, Constraint;

    // Objects.
    /// An optional property was added to an open content model.
    PropertyAddedToOpenContentModel = "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", Tightened, Neutral, Addition;
    /// A property with an empty schema was added to an open content model.
    PropertyWithEmptySchemaAddedToOpenContentModel = "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", Neutral, Neutral, Addition;
    /// An optional property was added to a closed content model (`additionalProperties: false`).
    PropertyAddedToClosedContentModel = "PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL", Relaxed, Neutral, Addition;
    /// A property was added whose schema accepts what the old `additionalProperties`/`patternProperties` did.
    PropertyAddedIsCoveredByPartiallyOpenContentModel = "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", Neutral, Neutral, Addition;
    /// A property was added that the old `additionalProperties`/`patternProperties` schema does not cover.
    PropertyAddedNotCoveredByPartiallyOpenContentModel = "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", Changed, Neutral, Addition;
    /// A property was removed from an open content model.
    PropertyRemovedFromOpenContentModel = "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", Relaxed, Neutral, Removal;
    /// A property was removed from a closed content model.
    PropertyRemovedFromClosedContentModel = "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", Tightened, Neutral, Removal;
    /// A property was removed and the new `additionalProperties`/`patternProperties` schema covers it.
    PropertyRemovedIsCoveredByPartiallyOpenContentModel = "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", Neutral, Neutral, Removal;
    /// A property was removed and the new `additionalProperties`/`patternProperties` schema does not cover it.
    PropertyRemovedNotCoveredByPartiallyOpenContentModel = "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", Changed, Neutral, Removal;
    /// A property became required.
    RequiredAttributeAdded = "REQUIRED_ATTRIBUTE_ADDED", Tightened, Tightened, Constraint;
    /// A property with a `default` became required.
    RequiredAttributeWithDefaultAdded = "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", Neutral, Neutral, Constraint;
    /// A property is no longer required.
    RequiredAttributeRemoved = "REQUIRED_ATTRIBUTE_REMOVED", Relaxed, Relaxed, Removal;
    /// `additionalProperties` went from `false` to allowed.
    AdditionalPropertiesAdded = "ADDITIONAL_PROPERTIES_ADDED", Relaxed, Neutral, Breaking;
    /// `additionalProperties` went from allowed to `false` (the content model was closed).
    AdditionalPropertiesRemoved = "ADDITIONAL_PROPERTIES_REMOVED", Tightened, Neutral, Breaking;
    /// The `additionalProperties` schema was dropped (anything allowed).
    AdditionalPropertiesExtended = "ADDITIONAL_PROPERTIES_EXTENDED", Relaxed, Neutral, Breaking;
    /// An `additionalProperties` schema now constrains what was open.
    AdditionalPropertiesNarrowed = "ADDITIONAL_PROPERTIES_NARROWED", Tightened, Tightened, Constraint;
    /// `maxProperties` added.
    MaxPropertiesAdded = "MAX_PROPERTIES_ADDED", Tightened, Tightened, Constraint;
    /// `maxProperties` removed.
    MaxPropertiesRemoved = "MAX_PROPERTIES_REMOVED", Relaxed, Relaxed, Constraint;
    /// `maxProperties` increased.
    MaxPropertiesIncreased = "MAX_PROPERTIES_INCREASED", Relaxed, Relaxed, Constraint;
    /// `maxProperties` decreased.
    MaxPropertiesDecreased = "MAX_PROPERTIES_DECREASED", Tightened, Tightened, Constraint;
    /// `minProperties` added.
    MinPropertiesAdded = "MIN_PROPERTIES_ADDED", Tightened, Tightened, Constraint;
    /// `minProperties` removed.
    MinPropertiesRemoved = "MIN_PROPERTIES_REMOVED", Relaxed, Relaxed, Constraint;
    /// `minProperties` increased.
    MinPropertiesIncreased = "MIN_PROPERTIES_INCREASED", Tightened, Tightened, Constraint;
    /// `minProperties` decreased.
    MinPropertiesDecreased = "MIN_PROPERTIES_DECREASED", Relaxed, Relaxed, Constraint;
    /// A property dependency list was added (`dependencies`, `dependentRequired`).
    DependencyArrayAdded = "DEPENDENCY_ARRAY_ADDED", Tightened, Tightened, Constraint;
    /// A property dependency list was removed.
    DependencyArrayRemoved = "DEPENDENCY_ARRAY_REMOVED", Relaxed, Relaxed, Constraint;
    /// A property dependency list gained names.
    DependencyArrayExtended = "DEPENDENCY_ARRAY_EXTENDED", Tightened, Tightened, Constraint;
    /// A property dependency list lost names.
    DependencyArrayNarrowed = "DEPENDENCY_ARRAY_NARROWED", Relaxed, Relaxed, Constraint;
    /// A property dependency list changed.
    DependencyArrayChanged = "DEPENDENCY_ARRAY_CHANGED", Changed, Changed, Constraint;
    /// A schema dependency was added (`dependencies`, `dependentSchemas`).
    DependencySchemaAdded = "DEPENDENCY_SCHEMA_ADDED", Tightened, Tightened, Constraint;
    /// A schema dependency was removed.
    DependencySchemaRemoved = "DEPENDENCY_SCHEMA_REMOVED", Relaxed, Relaxed, Constraint;

    // Arrays.
    /// `maxItems` added.
    MaxItemsAdded = "MAX_ITEMS_ADDED", Tightened, Tightened, Constraint;
    /// `maxItems` removed.
    MaxItemsRemoved = "MAX_ITEMS_REMOVED", Relaxed, Relaxed, Constraint;
    /// `maxItems` increased.
    MaxItemsIncreased = "MAX_ITEMS_INCREASED", Relaxed, Relaxed, Constraint;
    /// `maxItems` decreased.
    MaxItemsDecreased = "MAX_ITEMS_DECREASED", Tightened, Tightened, Constraint;
    /// `minItems` added.
    MinItemsAdded = "MIN_ITEMS_ADDED", Tightened, Tightened, Constraint;
    /// `minItems` removed.
    MinItemsRemoved = "MIN_ITEMS_REMOVED", Relaxed, Relaxed, Constraint;
    /// `minItems` increased.
    MinItemsIncreased = "MIN_ITEMS_INCREASED", Tightened, Tightened, Constraint;
    /// `minItems` decreased.
    MinItemsDecreased = "MIN_ITEMS_DECREASED", Relaxed, Relaxed, Constraint;
    /// `uniqueItems` became true.
    UniqueItemsAdded = "UNIQUE_ITEMS_ADDED", Tightened, Tightened, Constraint;
    /// `uniqueItems` became false.
    UniqueItemsRemoved = "UNIQUE_ITEMS_REMOVED", Relaxed, Relaxed, Constraint;
    /// `additionalItems` went from `false` to allowed.
    AdditionalItemsAdded = "ADDITIONAL_ITEMS_ADDED", Relaxed, Relaxed, Constraint;
    /// `additionalItems` went from allowed to `false`.
    AdditionalItemsRemoved = "ADDITIONAL_ITEMS_REMOVED", Tightened, Tightened, Constraint;
    /// The `additionalItems` schema was dropped.
    AdditionalItemsExtended = "ADDITIONAL_ITEMS_EXTENDED", Relaxed, Relaxed, Constraint;
    /// An `additionalItems` schema now constrains what was open.
    AdditionalItemsNarrowed = "ADDITIONAL_ITEMS_NARROWED", Tightened, Tightened, Constraint;
    /// A tuple position was added where extra items were allowed.
    ItemAddedToOpenContentModel = "ITEM_ADDED_TO_OPEN_CONTENT_MODEL", Tightened, Tightened, Constraint;
    /// A tuple position was added where extra items were forbidden.
    ItemAddedToClosedContentModel = "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", Relaxed, Relaxed, Constraint;
    /// A tuple position was removed; extra items are allowed.
    ItemRemovedFromOpenContentModel = "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", Relaxed, Relaxed, Removal;
    /// A tuple position was removed; extra items are forbidden.
    ItemRemovedFromClosedContentModel = "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", Tightened, Tightened, Removal;
    /// One `items` schema for all items became a tuple.
    ItemsChangedToTuple = "ITEMS_CHANGED_TO_TUPLE", Changed, Changed, Constraint;
    /// A tuple became one `items` schema for all items.
    TupleChangedToItems = "TUPLE_CHANGED_TO_ITEMS", Changed, Changed, Constraint;

    // Enums and constants.
    /// An `enum` list now restricts the values.
    EnumAdded = "ENUM_ADDED", Tightened, Tightened, Constraint;
    /// The `enum` list was removed.
    EnumRemoved = "ENUM_REMOVED", Relaxed, Relaxed, Constraint;
    /// A value was added to a closed `enum`: consumers on OLD meet a value they do not know.
    EnumValueAdded = "ENUM_VALUE_ADDED", Relaxed, Relaxed, Constraint;
    /// A value was removed from a closed `enum`: stored events may still carry it.
    EnumValueRemoved = "ENUM_VALUE_REMOVED", Tightened, Tightened, Constraint;
    /// A closed `enum` became an `x-extensible-enum`.
    EnumMadeExtensible = "ENUM_MADE_EXTENSIBLE", Relaxed, Relaxed, Constraint;
    /// An `x-extensible-enum` became a closed `enum`.
    ExtensibleEnumClosed = "EXTENSIBLE_ENUM_CLOSED", Tightened, Tightened, Constraint;
    /// A value was added to an `x-extensible-enum` (consumers expect new values).
    ExtensibleEnumValueAdded = "EXTENSIBLE_ENUM_VALUE_ADDED", Neutral, Neutral, Addition;
    /// A value was removed from an `x-extensible-enum`.
    ExtensibleEnumValueRemoved = "EXTENSIBLE_ENUM_VALUE_REMOVED", Neutral, Neutral, Constraint;
    /// `const` added.
    ConstAdded = "CONST_ADDED", Tightened, Tightened, Constraint;
    /// `const` removed.
    ConstRemoved = "CONST_REMOVED", Relaxed, Relaxed, Constraint;
    /// `const` changed.
    ConstChanged = "CONST_CHANGED", Changed, Changed, Constraint;

    // Combinators and discriminators.
    /// An `allOf`, `anyOf` or `oneOf` was added around the schema.
    CompositionAdded = "COMPOSITION_ADDED", Tightened, Tightened, Constraint;
    /// An `allOf`, `anyOf` or `oneOf` was removed.
    CompositionRemoved = "COMPOSITION_REMOVED", Relaxed, Relaxed, Constraint;
    /// The combinator changed in a direction that accepts more (`oneOf` → `anyOf`).
    CombinedTypeExtended = "COMBINED_TYPE_EXTENDED", Relaxed, Relaxed, Constraint;
    /// The combinator changed (`anyOf` → `allOf`, …).
    CombinedTypeChanged = "COMBINED_TYPE_CHANGED", Changed, Changed, Constraint;
    /// `allOf` gained a member.
    ProductTypeExtended = "PRODUCT_TYPE_EXTENDED", Tightened, Tightened, Constraint;
    /// `allOf` lost a member.
    ProductTypeNarrowed = "PRODUCT_TYPE_NARROWED", Relaxed, Relaxed, Constraint;
    /// `anyOf`/`oneOf` gained an alternative: consumers on OLD meet a variant they do not know.
    SumTypeExtended = "SUM_TYPE_EXTENDED", Relaxed, Relaxed, Constraint;
    /// `anyOf`/`oneOf` lost an alternative.
    SumTypeNarrowed = "SUM_TYPE_NARROWED", Tightened, Tightened, Constraint;
    /// An OpenAPI `discriminator` was added.
    DiscriminatorAdded = "DISCRIMINATOR_ADDED", Tightened, Tightened, Constraint;
    /// The `discriminator` was removed.
    DiscriminatorRemoved = "DISCRIMINATOR_REMOVED", Relaxed, Relaxed, Constraint;
    /// `discriminator.propertyName` changed.
    DiscriminatorPropertyChanged = "DISCRIMINATOR_PROPERTY_CHANGED", Changed, Changed, Constraint;
    /// A `discriminator.mapping` entry was added: a new tag value.
    DiscriminatorMappingAdded = "DISCRIMINATOR_MAPPING_ADDED", Relaxed, Relaxed, Constraint;
    /// A `discriminator.mapping` entry was removed.
    DiscriminatorMappingRemoved = "DISCRIMINATOR_MAPPING_REMOVED", Tightened, Tightened, Constraint;
    /// A `discriminator.mapping` entry points elsewhere.
    DiscriminatorMappingChanged = "DISCRIMINATOR_MAPPING_CHANGED", Changed, Changed, Constraint;
    /// A `not` schema changed.
    NotSchemaChanged = "NOT_SCHEMA_CHANGED", Changed, Changed, Constraint;
    /// `if`/`then`/`else` changed.
    ConditionalChanged = "CONDITIONAL_CHANGED", Changed, Changed, Constraint;

    // Avro (schema resolution: a reader schema reads data written with a writer schema).
    /// A record field with a default was added.
    AvroFieldAddedWithDefault = "AVRO_FIELD_ADDED_WITH_DEFAULT", Neutral, Neutral, Addition;
    /// A record field without a default was added: NEW cannot read OLD data.
    AvroFieldAddedWithoutDefault = "AVRO_FIELD_ADDED_WITHOUT_DEFAULT", Tightened, Tightened, Constraint;
    /// A record field with a default was removed.
    AvroFieldRemovedWithDefault = "AVRO_FIELD_REMOVED_WITH_DEFAULT", Neutral, Neutral, Removal;
    /// A record field without a default was removed: OLD cannot read NEW data.
    AvroFieldRemovedWithoutDefault = "AVRO_FIELD_REMOVED_WITHOUT_DEFAULT", Relaxed, Relaxed, Removal;
    /// A type was promoted (`int` → `long`/`float`/`double`, `long` → `float`/`double`, `float` → `double`, `string` ↔ `bytes`).
    AvroTypePromoted = "AVRO_TYPE_PROMOTED", Relaxed, Relaxed, Constraint;
    /// A type changed to one Avro cannot resolve.
    AvroTypeChanged = "AVRO_TYPE_CHANGED", Changed, Changed, Constraint;
    /// A logical type was added, removed or changed.
    AvroLogicalTypeChanged = "AVRO_LOGICAL_TYPE_CHANGED", Changed, Changed, Constraint;
    /// A named type's full name changed (without an alias to the old one).
    AvroNameChanged = "AVRO_NAME_CHANGED", Changed, Changed, Constraint;
    /// An enum symbol was added: OLD readers without an enum default cannot read it.
    AvroEnumSymbolAdded = "AVRO_ENUM_SYMBOL_ADDED", Relaxed, Relaxed, Constraint;
    /// An enum symbol was removed.
    AvroEnumSymbolRemoved = "AVRO_ENUM_SYMBOL_REMOVED", Tightened, Tightened, Constraint;
    /// The enum's default symbol changed.
    AvroEnumDefaultChanged = "AVRO_ENUM_DEFAULT_CHANGED", Neutral, Changed, Constraint;
    /// A field's default was added.
    AvroDefaultAdded = "AVRO_DEFAULT_ADDED", Neutral, Neutral, Addition;
    /// A field's default was removed.
    AvroDefaultRemoved = "AVRO_DEFAULT_REMOVED", Neutral, Changed, Constraint;
    /// A field's default changed.
    AvroDefaultChanged = "AVRO_DEFAULT_CHANGED", Neutral, Changed, Constraint;
    /// An alias was added.
    AvroAliasAdded = "AVRO_ALIAS_ADDED", Neutral, Neutral, Annotation;
    /// An alias was removed: readers that resolve an old name through it break.
    AvroAliasRemoved = "AVRO_ALIAS_REMOVED", Changed, Changed, Constraint;
    /// A union gained a branch.
    AvroUnionBranchAdded = "AVRO_UNION_BRANCH_ADDED", Relaxed, Relaxed, Constraint;
    /// A union lost a branch.
    AvroUnionBranchRemoved = "AVRO_UNION_BRANCH_REMOVED", Tightened, Tightened, Constraint;
    /// A fixed type's size changed.
    AvroFixedSizeChanged = "AVRO_FIXED_SIZE_CHANGED", Changed, Changed, Constraint;
    /// `doc` changed.
    AvroDocChanged = "AVRO_DOC_CHANGED", Neutral, Neutral, Annotation;
    /// apache-avro's resolution check says NEW cannot read OLD data, and no finer kind explains why.
    AvroBackwardIncompatible = "AVRO_BACKWARD_INCOMPATIBLE", Tightened, Tightened, Constraint;
    /// apache-avro's resolution check says OLD cannot read NEW data, and no finer kind explains why.
    AvroForwardIncompatible = "AVRO_FORWARD_INCOMPATIBLE", Relaxed, Relaxed, Constraint;

    // Protobuf (buf's WIRE and WIRE_JSON rules).
    /// A field was added.
    ProtoFieldAdded = "PROTO_FIELD_ADDED", Neutral, Neutral, Addition;
    /// A field was removed and its number reserved.
    ProtoFieldRemovedReserved = "PROTO_FIELD_REMOVED_RESERVED", Neutral, Neutral, Removal;
    /// A field was removed without reserving its number (and name): a later field may reuse it.
    ProtoFieldRemovedNotReserved = "PROTO_FIELD_REMOVED_NOT_RESERVED", Neutral, Neutral, Breaking;
    /// A field number now belongs to a field with another name and type.
    ProtoFieldNumberReused = "PROTO_FIELD_NUMBER_REUSED", Changed, Changed, Constraint;
    /// A field's type changed to one with another wire encoding.
    ProtoFieldTypeChanged = "PROTO_FIELD_TYPE_CHANGED", Changed, Changed, Constraint;
    /// A field's type changed within a wire-compatible group (`int32`/`int64`/`uint32`/`uint64`/`bool`, `sint*`, `fixed*`, `string`/`bytes`): the binary reads, the JSON mapping may not.
    ProtoFieldTypeChangedWireCompatible = "PROTO_FIELD_TYPE_CHANGED_WIRE_COMPATIBLE", Neutral, Changed, Constraint;
    /// A field's message or enum type is another named type.
    ProtoFieldTypeNameChanged = "PROTO_FIELD_TYPE_NAME_CHANGED", Changed, Changed, Constraint;
    /// A field was renamed: the binary reads, the JSON mapping (which uses names) does not.
    ProtoFieldNameChanged = "PROTO_FIELD_NAME_CHANGED", Neutral, Changed, Constraint;
    /// A field's `json_name` changed.
    ProtoFieldJsonNameChanged = "PROTO_FIELD_JSON_NAME_CHANGED", Neutral, Changed, Constraint;
    /// A field's cardinality changed (singular ↔ repeated ↔ map).
    ProtoFieldLabelChanged = "PROTO_FIELD_LABEL_CHANGED", Changed, Changed, Constraint;
    /// A field's presence changed (`optional` ↔ implicit, proto2 `required`).
    ProtoFieldPresenceChanged = "PROTO_FIELD_PRESENCE_CHANGED", Neutral, Changed, Constraint;
    /// A field moved into, out of or between `oneof`s.
    ProtoFieldOneofChanged = "PROTO_FIELD_ONEOF_CHANGED", Changed, Changed, Constraint;
    /// An enum value was added.
    ProtoEnumValueAdded = "PROTO_ENUM_VALUE_ADDED", Relaxed, Relaxed, Constraint;
    /// An enum value was removed and its number reserved.
    ProtoEnumValueRemovedReserved = "PROTO_ENUM_VALUE_REMOVED_RESERVED", Tightened, Tightened, Constraint;
    /// An enum value was removed without reserving its number.
    ProtoEnumValueRemovedNotReserved = "PROTO_ENUM_VALUE_REMOVED_NOT_RESERVED", Tightened, Tightened, Breaking;
    /// An enum value was renamed: the JSON mapping (which uses names) breaks.
    ProtoEnumValueNameChanged = "PROTO_ENUM_VALUE_NAME_CHANGED", Neutral, Changed, Constraint;
    /// The payload message was renamed or moved to another package.
    ProtoMessageNameChanged = "PROTO_MESSAGE_NAME_CHANGED", Neutral, Neutral, Annotation;

    // Event type definitions (`check`).
    /// The event type's category (envelope) changed.
    CategoryChanged = "CATEGORY_CHANGED", Changed, Changed, Breaking;
    /// `data_type` changed.
    DataTypeChanged = "DATA_TYPE_CHANGED", Changed, Changed, Breaking;
    /// The schema language changed (e.g. JSON Schema → Avro).
    SchemaFormatChanged = "SCHEMA_FORMAT_CHANGED", Changed, Changed, Breaking;
    /// `partition_key_fields` changed: events of one entity may land on other partitions.
    PartitionKeyChanged = "PARTITION_KEY_CHANGED", Neutral, Changed, Breaking;
    /// `compatibility_mode` changed.
    CompatibilityModeChanged = "COMPATIBILITY_MODE_CHANGED", Neutral, Neutral, Annotation;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_shouty() {
        let mut names: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.name()).collect();
        assert!(names.iter().all(|n| n.chars().all(|c| c.is_ascii_uppercase() || c == '_')));
        assert!(ChangeKind::ALL.iter().all(|k| !k.doc().is_empty()));
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
