// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "generator.h"
#include "typemodel.h"

#include <QtCore/QHash>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>

#include <functional>

using namespace Qt::StringLiterals;

namespace MusubiCodegen {

namespace {

const QSet<QString> &cppKeywords()
{
    static const QSet<QString> words = {
            u"alignas"_s,
            u"alignof"_s,
            u"and"_s,
            u"and_eq"_s,
            u"asm"_s,
            u"auto"_s,
            u"bitand"_s,
            u"bitor"_s,
            u"bool"_s,
            u"break"_s,
            u"case"_s,
            u"catch"_s,
            u"char"_s,
            u"char8_t"_s,
            u"char16_t"_s,
            u"char32_t"_s,
            u"class"_s,
            u"compl"_s,
            u"concept"_s,
            u"const"_s,
            u"consteval"_s,
            u"constexpr"_s,
            u"constinit"_s,
            u"const_cast"_s,
            u"continue"_s,
            u"co_await"_s,
            u"co_return"_s,
            u"co_yield"_s,
            u"decltype"_s,
            u"default"_s,
            u"delete"_s,
            u"do"_s,
            u"double"_s,
            u"dynamic_cast"_s,
            u"else"_s,
            u"enum"_s,
            u"explicit"_s,
            u"export"_s,
            u"extern"_s,
            u"false"_s,
            u"float"_s,
            u"for"_s,
            u"friend"_s,
            u"goto"_s,
            u"if"_s,
            u"inline"_s,
            u"int"_s,
            u"long"_s,
            u"mutable"_s,
            u"namespace"_s,
            u"new"_s,
            u"noexcept"_s,
            u"not"_s,
            u"not_eq"_s,
            u"nullptr"_s,
            u"operator"_s,
            u"or"_s,
            u"or_eq"_s,
            u"private"_s,
            u"protected"_s,
            u"public"_s,
            u"register"_s,
            u"reinterpret_cast"_s,
            u"requires"_s,
            u"return"_s,
            u"short"_s,
            u"signed"_s,
            u"sizeof"_s,
            u"static"_s,
            u"static_assert"_s,
            u"static_cast"_s,
            u"struct"_s,
            u"switch"_s,
            u"template"_s,
            u"this"_s,
            u"thread_local"_s,
            u"throw"_s,
            u"true"_s,
            u"try"_s,
            u"typedef"_s,
            u"typeid"_s,
            u"typename"_s,
            u"union"_s,
            u"unsigned"_s,
            u"using"_s,
            u"virtual"_s,
            u"void"_s,
            u"volatile"_s,
            u"wchar_t"_s,
            u"while"_s,
            u"xor"_s,
            u"xor_eq"_s,
            // Qt's keyword macros
            u"signals"_s,
            u"slots"_s,
            u"emit"_s,
            u"foreach"_s,
            u"forever"_s,
            // C library macros and GNU-mode predefined macros
            u"errno"_s,
            u"assert"_s,
            u"offsetof"_s,
            u"stdin"_s,
            u"stdout"_s,
            u"stderr"_s,
            u"unix"_s,
            u"linux"_s,
            u"setjmp"_s,
            u"va_arg"_s,
            u"major"_s,
            u"minor"_s,
            u"makedev"_s,
    };
    return words;
}

const QSet<QString> &memberWords()
{
    // QObject's and MusubiTypedStore's members, and MusubiRoot's for the root class.
    static const QSet<QString> words = {
            u"objectName"_s,
            u"setObjectName"_s,
            u"objectNameChanged"_s,
            u"parent"_s,
            u"setParent"_s,
            u"children"_s,
            u"destroyed"_s,
            u"deleteLater"_s,
            u"metaObject"_s,
            u"staticMetaObject"_s,
            u"tr"_s,
            u"event"_s,
            u"eventFilter"_s,
            u"installEventFilter"_s,
            u"removeEventFilter"_s,
            u"connect"_s,
            u"disconnect"_s,
            u"blockSignals"_s,
            u"signalsBlocked"_s,
            u"thread"_s,
            u"moveToThread"_s,
            u"startTimer"_s,
            u"killTimer"_s,
            u"findChild"_s,
            u"findChildren"_s,
            u"setProperty"_s,
            u"dumpObjectInfo"_s,
            u"dumpObjectTree"_s,
            u"dynamicPropertyNames"_s,
            u"sender"_s,
            u"senderSignalIndex"_s,
            u"receivers"_s,
            u"isSignalConnected"_s,
            u"isWidgetType"_s,
            u"isWindowType"_s,
            u"isQuickItemType"_s,
            u"inherits"_s,
            u"bindableObjectName"_s,
            u"timerEvent"_s,
            u"childEvent"_s,
            u"customEvent"_s,
            u"connectNotify"_s,
            u"disconnectNotify"_s,
            u"qt_metacall"_s,
            u"qt_metacast"_s,
            u"qt_static_metacall"_s,
            u"d_ptr"_s,
            u"toString"_s,
            u"valueOf"_s,
            u"hasOwnProperty"_s,
            u"constructor"_s,
            // MusubiTypedStore
            u"store"_s,
            u"storeId"_s,
            u"storeIdJson"_s,
            u"alive"_s,
            u"isAlive"_s,
            u"aliveChanged"_s,
            u"changed"_s,
            u"fieldJson"_s,
            u"fieldObject"_s,
            u"childStore"_s,
            u"warnDrift"_s,
            u"warnPayload"_s,
            u"notifyFields"_s,
            u"deliverEvent"_s,
            u"sendCommand"_s,
            u"sendCommandFromQml"_s,
            u"rejectFromQml"_s,
            u"asyncResultObject"_s,
            u"storeChanged"_s,
            u"moduleName"_s,
    };
    return words;
}

QString escapeIdentifier(const QString &name)
{
    return cppKeywords().contains(name) ? name + u'_' : name;
}

QStringList splitWords(const QString &wire)
{
    static const QRegularExpression separators(u"[^A-Za-z0-9]+"_s);
    return wire.split(separators, Qt::SkipEmptyParts);
}

QString lowerFirst(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toLower();
    return text;
}

QString upperFirst(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

QString cppString(const QString &text)
{
    QString out = u"u\""_s;
    for (const char32_t c : text.toUcs4()) {
        if (c == U'"' || c == U'\\') {
            out += u'\\';
            out += QChar(char16_t(c));
        } else if (c >= 0x20 && c <= 0x7e) {
            out += QChar(char16_t(c));
        } else if (c <= 0xffff) {
            out += u"\\u%1"_s.arg(uint(c), 4, 16, QChar(u'0'));
        } else {
            out += u"\\U%1"_s.arg(uint(c), 8, 16, QChar(u'0'));
        }
    }
    return out + u'"';
}

QString cppStringLiteral(const QString &text)
{
    return cppString(text) + u"_s"_s;
}

// A doc-comment-safe line.
QString docText(QString text)
{
    text.replace(u"*/"_s, u"* /"_s);
    text.replace(u'\n', u' ');
    return text;
}

// One C++ scope's names: a name taken gets 2, 3, ... appended.
class NameTable
{
public:
    explicit NameTable(const QSet<QString> &reserved = {})
        : m_reserved(reserved)
    { }
    QString claim(QString name)
    {
        if (name.isEmpty())
            name = u"value"_s;
        if (name.at(0).isDigit())
            name.prepend(u'v');
        name = escapeIdentifier(name);
        if (m_reserved.contains(name))
            name += u'_';
        QString candidate = name;
        for (int n = 2; m_taken.contains(candidate); ++n)
            candidate = name + QString::number(n);
        m_taken.insert(candidate);
        return candidate;
    }
    bool isTaken(const QString &name) const { return m_taken.contains(name); }

private:
    QSet<QString> m_reserved;
    QSet<QString> m_taken;
};

struct EnumDecl
{
    QString name;
    QStringList atoms;
    QStringList enumerators;
};

struct NamedValue
{
    QString cpp; // member / argument / property name
    QString wire;
    TypePtr type;
    QString doc;
};

// A value type: a hoisted map, a :state module, an async value, a command reply,
// an event payload, a root's params.
struct StructDecl
{
    enum class Role { Map, State, Async, AsyncStream, Reply, Payload, Params };
    Role role = Role::Map;
    QString name; // unqualified
    QString qualified; // ::A::B::Name
    QStringList ns;
    QString qmlValueName;
    QString doc;
    QList<NamedValue> fields;
    QList<EnumDecl> enums;
    TypePtr asyncInner; // Async: the result's type
    QStringList dependsOn; // qualified structs held by value
};

struct CommandDecl
{
    QString cpp;
    QString wire;
    QList<NamedValue> args;
    QString reply; // qualified reply struct or "" for none
};

struct EventDecl
{
    QString cpp;
    QString wire;
    QString payload; // qualified payload struct
};

struct StoreDecl
{
    const ManifestModule *module = nullptr;
    QStringList ns;
    QString name;
    QString qualified;
    QString qmlName;
    QString rootName;
    QString rootQmlName;
    QString extensionName;
    QString params; // qualified params struct or ""
    QList<NamedValue> fields;
    QList<EnumDecl> enums;
    QList<std::pair<QString, QString>> aliases; // nested name, qualified struct
    QList<CommandDecl> commands;
    QList<EventDecl> events;
    QHash<QString, QString> notify; // field cpp -> NOTIFY signal
};

class Generator
{
public:
    Generator(const QList<ManifestModule> &modules, const GeneratorOptions &options)
        : m_modules(modules)
        , m_options(options)
    { }

    Generated run();

private:
    QStringList namespaceOf(const QString &module) const;
    NameTable &namespaceTable(const QStringList &ns);
    QString qualify(const QStringList &ns, const QString &name) const;
    QString qmlPrefix(const QString &module) const;

    // Names the enums and structs inside \a type; \a base: the struct name prefix
    // ("InboxShipping"); enums go to \a enums (deduplicated by atoms) named \a enumName.
    void nameType(const TypePtr &type, const QStringList &ns, const QString &base,
                  const QString &enumName, QList<EnumDecl> *enums, NameTable *nested,
                  const QString &enumOwner, const QString &qmlModulePrefix, QStringList *dependsOn);
    StructDecl *makeStruct(StructDecl::Role role, const QStringList &ns, const QString &name,
                           const QString &qmlModulePrefix, const QList<StructField> &fields,
                           const QString &doc);

    QString cppType(const TypePtr &type) const;
    QString propType(const TypePtr &type) const;
    QString toQml(const QString &expression, const TypePtr &type) const;
    QString expected(const TypePtr &type) const;
    void note(const QString &where, const TypePtr &type);

    void emitStruct(const StructDecl &decl, QString &h, QString &cpp);
    void breakCycle(StructDecl &decl, const QString &dependency);
    void emitStore(const StoreDecl &decl, QString &h, QString &cpp);
    void emitEnumFunctions(const QString &owner, const QList<EnumDecl> &enums, QString &h,
                           QString &cpp);

    const QList<ManifestModule> &m_modules;
    GeneratorOptions m_options;
    TypeContext m_context;
    QHash<QString, NameTable> m_namespaceTables;
    QHash<QString, QString> m_storeClass; // module -> qualified class
    QHash<QString, QString> m_stateStruct; // module -> qualified struct
    QList<std::shared_ptr<StructDecl>> m_structs;
    QList<StoreDecl> m_stores;
    QStringList m_notes;
    QString m_export; // the export macro
    NameTable m_qmlTypeNames; // QML element names of the module
    NameTable m_qmlValueNames; // QML value type names
};

QStringList Generator::namespaceOf(const QString &module) const
{
    QStringList ns = m_options.cppNamespace.isEmpty()
            ? QStringList()
            : m_options.cppNamespace.split(u"::"_s, Qt::SkipEmptyParts);
    QStringList parts = module.split(u'.');
    parts.removeLast();
    QString path;
    for (const QString &part : std::as_const(parts)) {
        path += path.isEmpty() ? part : u'.' + part;
        // Shop.Cart is a class: the namespace of Shop.Cart.Item is Shop::Cart_.
        const bool isModule =
                std::any_of(m_modules.cbegin(), m_modules.cend(),
                            [&path](const ManifestModule &m) { return m.name == path; });
        ns.append(escapeIdentifier(part) + (isModule ? u"_"_s : QString()));
    }
    return ns;
}

NameTable &Generator::namespaceTable(const QStringList &ns)
{
    return m_namespaceTables[ns.join(u"::"_s)];
}

QString Generator::qualify(const QStringList &ns, const QString &name) const
{
    return ns.isEmpty() ? name : ns.join(u"::"_s) + u"::"_s + name;
}

QString Generator::qmlPrefix(const QString &module) const
{
    return QString(module).remove(u'.');
}

StructDecl *Generator::makeStruct(StructDecl::Role role, const QStringList &ns, const QString &name,
                                  const QString &qmlModulePrefix, const QList<StructField> &fields,
                                  const QString &doc)
{
    auto decl = std::make_shared<StructDecl>();
    decl->role = role;
    decl->ns = ns;
    decl->name = name;
    decl->qualified = qualify(ns, name);
    decl->qmlValueName = m_qmlValueNames.claim(lowerFirst(qmlModulePrefix + name));
    decl->doc = doc;
    NameTable members(memberWords());
    NameTable nested;
    nested.claim(name); // a nested type cannot be named like its class
    for (const StructField &field : fields) {
        NamedValue value{members.claim(lowerCamel(field.wire)), field.wire, field.type, {}};
        nameType(field.type, ns, name + pascalCase(field.wire), pascalCase(field.wire),
                 &decl->enums, &nested, decl->qualified, qmlModulePrefix, &decl->dependsOn);
        decl->fields.append(value);
    }
    m_structs.append(decl);
    return decl.get();
}

void Generator::nameType(const TypePtr &type, const QStringList &ns, const QString &base,
                         const QString &enumName, QList<EnumDecl> *enums, NameTable *nested,
                         const QString &enumOwner, const QString &qmlModulePrefix,
                         QStringList *dependsOn)
{
    switch (type->kind) {
    case Type::Kind::Enum: {
        for (const EnumDecl &existing : std::as_const(*enums)) {
            if (existing.atoms == type->atoms) {
                type->cppName = existing.name;
                type->enumOwner = enumOwner;
                return;
            }
        }
        EnumDecl decl;
        decl.name = nested->claim(enumName.isEmpty() ? u"Value"_s : enumName);
        decl.atoms = type->atoms;
        NameTable enumerators;
        for (const QString &atom : std::as_const(type->atoms)) {
            QString enumerator = pascalCase(atom);
            if (enumerator.isEmpty() || enumerator.at(0).isDigit() || enumerator.at(0) == u'_')
                enumerator = u"V"_s + enumerator;
            decl.enumerators.append(enumerators.claim(enumerator));
        }
        type->cppName = decl.name;
        type->enumOwner = enumOwner;
        enums->append(decl);
        return;
    }
    case Type::Kind::Optional:
    case Type::Kind::List:
        nameType(type->inner, ns, base, enumName, enums, nested, enumOwner, qmlModulePrefix,
                 dependsOn);
        return;
    case Type::Kind::Struct: {
        const QString name = namespaceTable(ns).claim(base);
        StructDecl *decl = makeStruct(StructDecl::Role::Map, ns, name, qmlModulePrefix,
                                      type->fields, type->source);
        type->cppName = decl->qualified;
        dependsOn->append(decl->qualified);
        return;
    }
    case Type::Kind::StateRef:
        dependsOn->append(m_stateStruct.value(type->module));
        return;
    case Type::Kind::Async: {
        const QString name = namespaceTable(ns).claim(base + u"Async"_s);
        auto decl = std::make_shared<StructDecl>();
        decl->role = StructDecl::Role::Async;
        decl->ns = ns;
        decl->name = name;
        decl->qualified = qualify(ns, name);
        decl->qmlValueName = m_qmlValueNames.claim(lowerFirst(qmlModulePrefix + name));
        decl->doc = type->source;
        decl->asyncInner = type->inner;
        NameTable asyncNested;
        asyncNested.claim(name);
        nameType(type->inner, ns, base, u"Result"_s, &decl->enums, &asyncNested, decl->qualified,
                 qmlModulePrefix, &decl->dependsOn);
        type->cppName = decl->qualified;
        dependsOn->append(decl->qualified);
        m_structs.append(decl);
        return;
    }
    case Type::Kind::AsyncStream: {
        const QString name = namespaceTable(ns).claim(base + u"Async"_s);
        auto decl = std::make_shared<StructDecl>();
        decl->role = StructDecl::Role::AsyncStream;
        decl->ns = ns;
        decl->name = name;
        decl->qualified = qualify(ns, name);
        decl->qmlValueName = m_qmlValueNames.claim(lowerFirst(qmlModulePrefix + name));
        decl->doc = type->source;
        type->cppName = decl->qualified;
        dependsOn->append(decl->qualified);
        m_structs.append(decl);
        return;
    }
    default:
        return;
    }
}

QString Generator::cppType(const TypePtr &type) const
{
    switch (type->kind) {
    case Type::Kind::String:
        return u"QString"_s;
    case Type::Kind::Integer:
        return u"qint64"_s;
    case Type::Kind::Float:
        return u"double"_s;
    case Type::Kind::Bool:
        return u"bool"_s;
    case Type::Kind::Enum:
        return type->enumOwner + u"::"_s + type->cppName;
    case Type::Kind::Optional:
        return u"MusubiOptional<%1>"_s.arg(cppType(type->inner));
    case Type::Kind::Null:
    case Type::Kind::Json:
        return u"QJsonValue"_s;
    case Type::Kind::JsonObject:
        return u"QJsonObject"_s;
    case Type::Kind::List:
        if (type->inner->kind == Type::Kind::String)
            return u"QStringList"_s;
        return u"QList<%1>"_s.arg(cppType(type->inner));
    case Type::Kind::Struct:
    case Type::Kind::Async:
    case Type::Kind::AsyncStream:
        return type->cppName;
    case Type::Kind::StateRef:
        return m_stateStruct.value(type->module);
    case Type::Kind::ChildStore:
        return m_storeClass.value(type->module) + u" *"_s;
    case Type::Kind::ChildStoreList:
        return u"MusubiTypedStoreListModel *"_s;
    case Type::Kind::Stream:
        return u"MusubiStreamModel *"_s;
    case Type::Kind::Upload:
        return u"MusubiUpload *"_s;
    }
    return u"QJsonValue"_s;
}

QString Generator::propType(const TypePtr &type) const
{
    // qint64 is a number to QML, but Qt 6.4's qmllint knows no such property type.
    if (type->kind == Type::Kind::Integer)
        return u"double"_s;
    if (type->kind == Type::Kind::Optional)
        return u"QVariant"_s;
    if (type->kind == Type::Kind::List && type->inner->kind != Type::Kind::String)
        return u"QVariantList"_s;
    return cppType(type);
}

QString Generator::toQml(const QString &expression, const TypePtr &type) const
{
    if (type->kind == Type::Kind::Integer)
        return u"double(%1)"_s.arg(expression);
    if (type->kind == Type::Kind::Optional)
        return u"(%1).toVariant()"_s.arg(expression);
    if (type->kind == Type::Kind::List && type->inner->kind != Type::Kind::String)
        return u"MusubiTyped::toVariantList(%1)"_s.arg(expression);
    return expression;
}

QString Generator::expected(const TypePtr &type) const
{
    QString text = type->source.isEmpty() ? cppType(type) : type->source;
    return text.replace(u'\\', u'/').replace(u'"', u'\'');
}

void Generator::note(const QString &where, const TypePtr &type)
{
    if (type->kind == Type::Kind::Json && !type->source.startsWith(u"any("_s)
        && !type->source.startsWith(u"term("_s))
        m_notes.append(u"%1: %2 is read as QJsonValue (var in QML)%3"_s.arg(
                where, type->source, type->note.isEmpty() ? QString() : u"; "_s + type->note));
    if (type->kind == Type::Kind::Optional || type->kind == Type::Kind::List)
        note(where, type->inner);
}

} // namespace

QString lowerCamel(const QString &wire)
{
    const QStringList words = splitWords(wire);
    QString out;
    for (const QString &word : words)
        out += out.isEmpty() ? word : upperFirst(word);
    if (out.isEmpty())
        return u"value"_s;
    if (out.at(0).isDigit())
        out.prepend(u'v');
    return lowerFirst(out);
}

QString pascalCase(const QString &wire)
{
    QString out;
    for (const QString &word : splitWords(wire))
        out += upperFirst(word);
    if (!out.isEmpty() && out.at(0).isDigit())
        out.prepend(u'_');
    return out;
}

bool isReservedMemberName(const QString &name)
{
    return cppKeywords().contains(name) || memberWords().contains(name);
}

namespace {

QString defaultInit(const TypePtr &type)
{
    switch (type->kind) {
    case Type::Kind::Integer:
    case Type::Kind::Float:
        return u" = 0"_s;
    case Type::Kind::Bool:
        return u" = false"_s;
    case Type::Kind::Enum:
        return u" = {}"_s;
    case Type::Kind::ChildStore:
    case Type::Kind::ChildStoreList:
    case Type::Kind::Stream:
    case Type::Kind::Upload:
        return u" = nullptr"_s;
    default:
        return {};
    }
}

QString openNamespace(const QStringList &ns)
{
    return ns.isEmpty() ? QString() : u"namespace %1 {\n"_s.arg(ns.join(u"::"_s));
}

QString closeNamespace(const QStringList &ns)
{
    return ns.isEmpty() ? QString() : u"} // namespace %1\n"_s.arg(ns.join(u"::"_s));
}

// A parameter declaration: scalars and enums by value, the rest by const reference.
QString parameter(const QString &cppType, const TypePtr &type)
{
    switch (type->kind) {
    case Type::Kind::Integer:
    case Type::Kind::Float:
    case Type::Kind::Bool:
    case Type::Kind::Enum:
        return cppType + u' ';
    default:
        return u"const "_s + cppType + u" &"_s;
    }
}

// One member of a JSON object under construction: `target.insert(wire, musubiToJson(expr))`,
// left out while an optional \a expr is empty (command payloads, value types, params).
QString insertMember(const QString &target, const QString &wire, const QString &expr,
                     const TypePtr &type)
{
    if (type->kind == Type::Kind::Optional)
        return u"    if (%1.has_value())\n        %2.insert(%3, musubiToJson(*%1));\n"_s.arg(
                expr, target, cppStringLiteral(wire));
    return u"    %1.insert(%2, musubiToJson(%3));\n"_s.arg(target, cppStringLiteral(wire), expr);
}

// Declares a stream's item roles (the keys of its item type) on \a model.
QString declareRoles(const QString &model, const TypePtr &type)
{
    if (type->fields.isEmpty())
        return {};
    QStringList keys;
    for (const StructField &field : type->fields)
        keys.append(cppStringLiteral(field.wire));
    return u"    if (%1)\n        %1->declareRoles({%2});\n"_s.arg(model, keys.join(u", "_s));
}

const char *kUsings = "using MusubiTyped::musubiFromJs;\n"
                      "using MusubiTyped::musubiFromJson;\n"
                      "using MusubiTyped::musubiToJson;\n";

} // namespace

void Generator::breakCycle(StructDecl &decl, const QString &dependency)
{
    std::function<bool(const TypePtr &)> refers = [&](const TypePtr &type) -> bool {
        switch (type->kind) {
        case Type::Kind::StateRef:
            return m_stateStruct.value(type->module) == dependency;
        case Type::Kind::Struct:
        case Type::Kind::Async:
            return type->cppName == dependency;
        case Type::Kind::Optional:
        case Type::Kind::List:
            return refers(type->inner);
        default:
            return false;
        }
    };
    for (NamedValue &field : decl.fields) {
        if (!refers(field.type))
            continue;
        auto json = std::make_shared<Type>();
        json->kind = Type::Kind::Json;
        json->source = field.type->source;
        json->note = u"Recursive: holds %1 itself."_s.arg(dependency);
        m_notes.append(u"%1.%2: %3 is read as QJsonValue (var in QML); %4"_s.arg(
                decl.qualified, field.wire, field.type->source, json->note));
        field.type = json;
    }
}

void Generator::emitEnumFunctions(const QString &owner, const QList<EnumDecl> &enums, QString &h,
                                  QString &cpp)
{
    for (const EnumDecl &e : enums) {
        const QString type = owner + u"::"_s + e.name;
        h += u"%2 bool musubiFromJson(const QJsonValue &value, %1 *out);\n"
             u"%2 QJsonValue musubiToJson(%1 value);\n"_s.arg(type, m_export);
        QStringList wire;
        for (const QString &atom : e.atoms)
            wire.append(cppString(atom));
        const QString table =
                u"static const char16_t *const wire[] = {%1};\n"_s.arg(wire.join(u", "_s));
        cpp += u"bool musubiFromJson(const QJsonValue &value, %1 *out)\n{\n    %2"
               u"    return MusubiTyped::musubiEnumFromJson(value, out, wire);\n}\n\n"
               u"QJsonValue musubiToJson(%1 value)\n{\n    %2"
               u"    return MusubiTyped::musubiEnumToJson(value, wire);\n}\n\n"_s.arg(type, table);
    }
}

void Generator::emitStruct(const StructDecl &decl, QString &h, QString &cpp)
{
    h += openNamespace(decl.ns);
    const char *what = "";
    switch (decl.role) {
    case StructDecl::Role::Map:
        what = "The value type of";
        break;
    case StructDecl::Role::State:
        what = "The state module";
        break;
    case StructDecl::Role::Async:
        what = "An async value:";
        break;
    case StructDecl::Role::AsyncStream:
        what = "An async stream:";
        break;
    case StructDecl::Role::Reply:
        what = "The reply of";
        break;
    case StructDecl::Role::Payload:
        what = "The payload of";
        break;
    case StructDecl::Role::Params:
        what = "The mount params of";
        break;
    }
    h += u"// %1 %2\nstruct %5 %3\n{\n    Q_GADGET\n    QML_VALUE_TYPE(%4)\n"_s.arg(
            QString::fromLatin1(what), docText(decl.doc), decl.name, decl.qmlValueName, m_export);
    QString members;
    QString qmlReaders;
    if (decl.role == StructDecl::Role::Async || decl.role == StructDecl::Role::AsyncStream) {
        h += u"    Q_PROPERTY(MusubiAsync::Status status MEMBER status)\n"_s;
        if (decl.role == StructDecl::Role::AsyncStream) {
            h += u"    Q_PROPERTY(MusubiStreamModel *result READ qml_result)\n"_s;
        } else {
            h += u"    Q_PROPERTY(QVariant result READ qmlResult)\n"_s;
        }
        h += u"    Q_PROPERTY(QJsonValue reason MEMBER reason)\n"_s;
    }
    for (const NamedValue &field : decl.fields) {
        const QString type = cppType(field.type);
        const QString prop = propType(field.type);
        if (prop == type) {
            h += u"    Q_PROPERTY(%1 %2 MEMBER %2)\n"_s.arg(prop, field.cpp);
        } else {
            const QString reader = u"qml_"_s + field.cpp; // no lowerCamel name has a '_' inside
            h += u"    Q_PROPERTY(%1 %2 READ %3)\n"_s.arg(prop, field.cpp, reader);
            qmlReaders += u"    %1 %2() const { return %3; }\n"_s.arg(prop, reader,
                                                                      toQml(field.cpp, field.type));
        }
        members += u"    %1 %2%3;\n"_s.arg(type, field.cpp, defaultInit(field.type));
        if (!field.type->note.isEmpty() || !field.doc.isEmpty())
            members.insert(members.lastIndexOf(u"    "_s),
                           u"    // %1\n"_s.arg(
                                   docText(field.doc.isEmpty() ? field.type->note : field.doc)));
    }
    h += u"public:\n"_s;
    for (const EnumDecl &e : decl.enums) {
        h += u"    enum class %1 { %2 };\n    Q_ENUM(%1)\n"_s.arg(e.name,
                                                                  e.enumerators.join(u", "_s));
    }
    if (decl.role == StructDecl::Role::Async) {
        TypePtr inner = decl.asyncInner;
        if (inner->kind == Type::Kind::Optional)
            inner = inner->inner;
        h += u"    MusubiAsync::Status status = MusubiAsync::Status::Loading;\n"
             u"    MusubiOptional<%1> result; // set while the wire result is not null\n"
             u"    QJsonValue reason; // why it failed (status Failed)\n"_s.arg(cppType(inner));
        h += u"    QVariant qmlResult() const { return result.toVariant(); }\n"_s;
    } else if (decl.role == StructDecl::Role::AsyncStream) {
        h += u"    MusubiAsync::Status status = MusubiAsync::Status::Loading;\n"
             u"    QPointer<MusubiStreamModel> result; // the stream (rows arrive as stream ops)\n"
             u"    MusubiStreamModel *qml_result() const { return result; }\n"
             u"    QJsonValue reason; // why it failed (status Failed)\n"_s;
    }
    h += members;
    if (decl.role == StructDecl::Role::Params)
        h += u"    // The params as MusubiRoot::params takes them (unset optional ones left out).\n"
             u"    QVariantMap toVariantMap() const;\n"_s;
    h += qmlReaders;
    h += u"    friend bool operator==(const %1 &, const %1 &) = default;\n};\n"_s.arg(decl.name);
    h += closeNamespace(decl.ns) + u"\n"_s;

    // Conversions.
    QString fns;
    fns += u"%2 bool musubiFromJson(const QJsonValue &value, %1 *out);\n"_s.arg(decl.qualified,
                                                                                m_export);
    if (decl.role != StructDecl::Role::Async && decl.role != StructDecl::Role::AsyncStream)
        fns += u"%2 QJsonValue musubiToJson(const %1 &value);\n"_s.arg(decl.qualified, m_export);
    h += openNamespace(decl.ns) + fns;
    QString body;
    emitEnumFunctions(decl.qualified, decl.enums, h, body);
    h += closeNamespace(decl.ns) + u"\n"_s;

    if (decl.role == StructDecl::Role::Async || decl.role == StructDecl::Role::AsyncStream) {
        body += u"bool musubiFromJson(const QJsonValue &value, %1 *out)\n{\n"
                u"    const QJsonObject object = value.toObject();\n"
                u"    if (!value.isObject() || object.value(u\"__musubi_async__\"_s) != "
                u"QJsonValue(true))\n"
                u"        return false;\n"
                u"    const auto status = "
                u"MusubiAsync::statusFromWire(object.value(u\"status\"_s).toString());\n"
                u"    if (!status)\n        return false;\n"
                u"    out->status = *status;\n"
                u"    out->reason = object.value(u\"reason\"_s);\n"_s.arg(decl.qualified);
        if (decl.role == StructDecl::Role::Async) {
            TypePtr inner = decl.asyncInner;
            if (inner->kind == Type::Kind::Optional)
                inner = inner->inner;
            body += u"    const QJsonValue result = object.value(u\"result\"_s);\n"
                    u"    if (result.isNull() || result.isUndefined()) {\n"
                    u"        out->result.reset();\n        return true;\n    }\n"
                    u"    %1 inner{};\n"
                    u"    const bool ok = musubiFromJson(result, &inner);\n"
                    u"    out->result = std::move(inner);\n"
                    u"    return ok;\n}\n\n"_s.arg(cppType(inner));
        } else {
            body += u"    return true;\n}\n\n"_s;
        }
    } else {
        body += u"bool musubiFromJson(const QJsonValue &value, %1 *out)\n{\n"
                u"    if (!value.isObject())\n        return false;\n"_s.arg(decl.qualified);
        if (decl.fields.isEmpty()) {
            body += u"    Q_UNUSED(out);\n    return true;\n}\n\n"_s;
        } else {
            body += u"    const QJsonObject object = value.toObject();\n    bool ok = true;\n"_s;
            for (const NamedValue &field : decl.fields)
                body += u"    ok = musubiFromJson(object.value(%1), &out->%2) && ok;\n"_s.arg(
                        cppStringLiteral(field.wire), field.cpp);
            body += u"    return ok;\n}\n\n"_s;
        }
        body += u"QJsonValue musubiToJson(const %1 &value)\n{\n    QJsonObject object;\n"_s.arg(
                decl.qualified);
        for (const NamedValue &field : decl.fields) {
            body += insertMember(u"object"_s, field.wire, u"value."_s + field.cpp, field.type);
        }
        if (decl.fields.isEmpty())
            body += u"    Q_UNUSED(value);\n"_s;
        body += u"    return object;\n}\n\n"_s;
        if (decl.role == StructDecl::Role::Params)
            body += u"QVariantMap %1::toVariantMap() const\n{\n"
                    u"    return musubiToJson(*this).toObject().toVariantMap();\n}\n\n"_s.arg(
                            decl.name);
    }
    cpp += openNamespace(decl.ns) + QString::fromLatin1(kUsings) + u"\n"_s + body
            + closeNamespace(decl.ns) + u"\n"_s;
}

void Generator::emitStore(const StoreDecl &decl, QString &h, QString &cpp)
{
    const ManifestModule &module = *decl.module;
    const QString moduleLiteral = cppStringLiteral(module.name);
    QString body; // .cpp inside the namespace

    // The QML face of the commands: a base class whose invokable methods QML calls
    // (markRead(id) returns a Promise), hidden from C++ by the view's own methods of
    // the same names (markRead(id) returns a QFuture).
    h += openNamespace(decl.ns);
    if (!decl.commands.isEmpty()) {
        h += u"// The commands of %1 as QML calls them: each returns a Promise.\n"
             u"// C++ calls the methods of the same name of %2, which return a QFuture.\n"
             u"class %3 %4 : public MusubiTypedStore\n{\n    Q_OBJECT\n    QML_ANONYMOUS\n\npublic:\n"_s
                     .arg(module.name, decl.name, m_export, decl.extensionName);
        for (const CommandDecl &command : decl.commands) {
            QStringList params;
            for (const NamedValue &arg : command.args)
                params.append(u"const QJSValue &%1"_s.arg(arg.cpp));
            h += u"    Q_INVOKABLE QJSValue %1(%2);\n"_s.arg(command.cpp, params.join(u", "_s));
            body += u"QJSValue %1::%2(%3)\n{\n    QJsonObject musubi_payload;\n"_s.arg(
                    decl.extensionName, command.cpp, params.join(u", "_s));
            int i = 0;
            for (const NamedValue &arg : command.args) {
                const QString local =
                        u"musubi_arg%1"_s.arg(i++); // no argument name has a '_' inside
                body += u"    %1 %2{};\n    if (!musubiFromJs(%3, &%2))\n"
                        u"        return rejectFromQml(%4, %5);\n"_s.arg(
                                cppType(arg.type), local, arg.cpp, cppStringLiteral(command.wire),
                                cppStringLiteral(u"%1(): argument %2 must be %3"_s.arg(
                                        command.cpp, arg.cpp, expected(arg.type))));
                body += insertMember(u"musubi_payload"_s, arg.wire, local, arg.type);
            }
            if (command.reply.isEmpty()) {
                body += u"    return sendCommandFromQml(%1, musubi_payload, [](QJSEngine *, const "
                        u"QJsonValue &) {\n"
                        u"        return QJSValue();\n    });\n}\n\n"_s.arg(
                                cppStringLiteral(command.wire));
            } else {
                body += u"    return sendCommandFromQml(%1, musubi_payload, [](QJSEngine *engine, "
                        u"const "
                        u"QJsonValue &reply) {\n"
                        u"        %2 value;\n"
                        u"        if (!musubiFromJson(reply, &value))\n"
                        u"            MusubiTyped::warnValue(%3::moduleName(), u\"the reply of "
                        u"\"_s + %4, \"the declared reply\", reply);\n"
                        u"        return engine->toScriptValue(value);\n    });\n}\n\n"_s.arg(
                                cppStringLiteral(command.wire), command.reply, decl.name,
                                cppStringLiteral(command.wire));
            }
        }
        h += u"\nprotected:\n    using MusubiTypedStore::MusubiTypedStore;\n};\n\n"_s;
    }

    // The view.
    h += u"// The typed view of a store of module %1 (%2).\n"_s.arg(
            module.name, module.isStore ? u"kind :store"_s : u"kind :state"_s);
    // Qualified: qmltyperegistrar matches the base by the name written here.
    const QString viewBase =
            decl.commands.isEmpty() ? u"MusubiTypedStore"_s : qualify(decl.ns, decl.extensionName);
    h += u"class %3 %1 : public %4\n{\n    Q_OBJECT\n    QML_NAMED_ELEMENT(%2)\n"
         u"    QML_UNCREATABLE(\"a typed store view: read it from a root's state or a parent store's field\")\n"_s
                 .arg(decl.name, decl.qmlName, m_export, viewBase);
    QString getters;
    QString privateReaders;
    QString signalDecls;
    QString notifyCases;
    int index = 0;
    for (const NamedValue &field : decl.fields) {
        const QString type = cppType(field.type);
        const QString prop = propType(field.type);
        const QString notify = decl.notify.value(field.cpp);
        const QString reader = prop == type ? field.cpp : u"qml_"_s + field.cpp;
        h += u"    Q_PROPERTY(%1 %2 READ %3 NOTIFY %4)\n"_s.arg(prop, field.cpp, reader, notify);
        getters += u"    // %1: %2%3\n    %4 %5() const;\n"_s.arg(
                docText(field.wire), docText(field.type->source),
                field.type->note.isEmpty() ? QString() : u". "_s + docText(field.type->note), type,
                field.cpp);
        if (reader != field.cpp) {
            privateReaders += u"    %1 %2() const;\n"_s.arg(prop, reader);
            body += u"%1 %2::%3() const\n{\n    return %4;\n}\n\n"_s.arg(
                    prop, decl.name, reader, toQml(field.cpp + u"()"_s, field.type));
        }
        signalDecls += u"    void %1();\n"_s.arg(notify);
        notifyCases += u"        case %1:\n"_s.arg(index);
        const QString exp = expected(field.type);
        switch (field.type->kind) {
        case Type::Kind::ChildStore:
            body += u"%1 %2::%3() const\n{\n    const QJsonValue json = fieldJson(%4);\n"
                    u"    if (json.isNull() || json.isUndefined())\n        return nullptr;\n"
                    u"    MusubiStore *child = childStore(%4);\n"
                    u"    if (!child)\n        warnDrift(%4, \"%5\");\n"
                    u"    return MusubiTypedStore::of<%6>(child);\n}\n\n"_s.arg(
                            type, decl.name, field.cpp, QString::number(index), exp,
                            m_storeClass.value(field.type->module));
            break;
        case Type::Kind::ChildStoreList: {
            const QString member = u"m_"_s + field.cpp;
            body += u"%1 %2::%3() const\n{\n    if (!%4) {\n"
                    u"        %4 = new MusubiTypedStoreListModel(\n"
                    u"                [](MusubiStore *store) -> MusubiTypedStore * {\n"
                    u"                    return MusubiTypedStore::of<%5>(store);\n"
                    u"                },\n                const_cast<%2 *>(this));\n"
                    u"        %4->setStoreList(qobject_cast<MusubiStoreListModel "
                    u"*>(fieldObject(%6)));\n"
                    u"    }\n    return %4;\n}\n\n"_s.arg(type, decl.name, field.cpp, member,
                                                          m_storeClass.value(field.type->module),
                                                          QString::number(index));
            notifyCases +=
                    u"            if (%1)\n                %1->setStoreList(qobject_cast<MusubiStoreListModel *>(fieldObject(%2)));\n"_s
                            .arg(member, QString::number(index));
            privateReaders +=
                    u"    mutable QPointer<MusubiTypedStoreListModel> %1;\n"_s.arg(member);
            break;
        }
        case Type::Kind::Stream:
            body += u"%1 %2::%3() const\n{\n"
                    u"    auto *model = qobject_cast<MusubiStreamModel *>(fieldObject(%4));\n"
                    u"%5    return model;\n}\n\n"_s.arg(type, decl.name, field.cpp,
                                                        QString::number(index),
                                                        declareRoles(u"model"_s, field.type));
            break;
        case Type::Kind::Upload:
            body += u"%1 %2::%3() const\n{\n    return qobject_cast<MusubiUpload *>(fieldObject(%4));\n}\n\n"_s
                            .arg(type, decl.name, field.cpp, QString::number(index));
            break;
        case Type::Kind::AsyncStream:
            body += u"%1 %2::%3() const\n{\n    %1 value{};\n"
                    u"    if (!musubiFromJson(fieldJson(%4), &value))\n        warnDrift(%4, "
                    u"\"%5\");\n"
                    u"    value.result = qobject_cast<MusubiStreamModel "
                    u"*>(asyncResultObject(%4));\n"
                    u"%6    return value;\n}\n\n"_s.arg(
                            type, decl.name, field.cpp, QString::number(index), exp,
                            declareRoles(u"value.result"_s, field.type));
            break;
        default:
            body += u"%1 %2::%3() const\n{\n    %1 value{};\n"
                    u"    if (!musubiFromJson(fieldJson(%4), &value))\n        warnDrift(%4, "
                    u"\"%5\");\n"
                    u"    return value;\n}\n\n"_s.arg(type, decl.name, field.cpp,
                                                      QString::number(index), exp);
            break;
        }
        notifyCases += u"            Q_EMIT %1();\n            break;\n"_s.arg(notify);
        ++index;
    }
    h += u"\npublic:\n"_s;
    for (const EnumDecl &e : decl.enums)
        h += u"    enum class %1 { %2 };\n    Q_ENUM(%1)\n"_s.arg(e.name,
                                                                  e.enumerators.join(u", "_s));
    for (const auto &[alias, target] : decl.aliases)
        h += u"    using %1 = %2;\n"_s.arg(alias, target);
    h += u"\n    // The Elixir module (\"%1\").\n    static QString moduleName();\n\n"
         u"    explicit %2(MusubiStore *store);\n    ~%2() override;\n\n"_s.arg(module.name,
                                                                                decl.name);
    h += getters;
    if (!decl.commands.isEmpty())
        h += u"\n    // Commands: each resolves with its reply, or fails with a MusubiCommandError.\n"_s;
    for (const CommandDecl &command : decl.commands) {
        QStringList params;
        QStringList call;
        for (const NamedValue &arg : command.args)
            params.append(parameter(cppType(arg.type), arg.type) + arg.cpp);
        const QString future =
                command.reply.isEmpty() ? u"QFuture<void>"_s : u"QFuture<%1>"_s.arg(command.reply);
        h += u"    %1 %2(%3);\n"_s.arg(future, command.cpp, params.join(u", "_s));
        body += u"%1 %2::%3(%4)\n{\n    QJsonObject musubi_payload;\n"_s.arg(
                future, decl.name, command.cpp, params.join(u", "_s));
        for (const NamedValue &arg : command.args) {
            body += insertMember(u"musubi_payload"_s, arg.wire, arg.cpp, arg.type);
        }
        if (command.reply.isEmpty()) {
            body += u"    return sendCommand(%1, musubi_payload).then([](const QJsonValue &) {});\n}\n\n"_s
                            .arg(cppStringLiteral(command.wire));
        } else {
            body += u"    return sendCommand(%1, musubi_payload).then([](const QJsonValue &reply) "
                    u"{\n"
                    u"        %2 value;\n"
                    u"        if (!musubiFromJson(reply, &value))\n"
                    u"            MusubiTyped::warnValue(%3::moduleName(), u\"the reply of \"_s + "
                    u"%4, \"the declared reply\", reply);\n"
                    u"        return value;\n    });\n}\n\n"_s.arg(cppStringLiteral(command.wire),
                                                                   command.reply, decl.name,
                                                                   cppStringLiteral(command.wire));
        }
    }
    h += u"\nQ_SIGNALS:\n"_s + signalDecls;
    for (const EventDecl &event : decl.events)
        h += u"    // Push event %1.\n    void %2(const %3 &payload);\n"_s.arg(
                docText(event.wire), event.cpp, event.payload);
    h += u"\nprotected:\n    void notifyFields(const QList<int> &indexes) override;\n"_s;
    if (!decl.events.isEmpty())
        h += u"    void deliverEvent(const QString &musubi_name, const QJsonValue &musubi_payload) override;\n"_s;
    h += u"\nprivate:\n"_s;
    h += privateReaders;
    h += u"};\n\n"_s;
    h += closeNamespace(decl.ns) + u"\n"_s;

    QStringList wireNames;
    for (const NamedValue &field : decl.fields)
        wireNames.append(cppStringLiteral(field.wire));
    body += u"QString %1::moduleName()\n{\n    return %2;\n}\n\n"_s.arg(decl.name, moduleLiteral);
    body += u"%1::%1(MusubiStore *store)\n    : %3(store, {%2})\n{ }\n\n"
            u"%1::~%1() = default;\n\n"_s.arg(decl.name, wireNames.join(u", "_s), viewBase);
    body += u"void %1::notifyFields(const QList<int> &indexes)\n{\n"_s.arg(decl.name);
    if (decl.fields.isEmpty()) {
        body += u"    Q_UNUSED(indexes);\n}\n\n"_s;
    } else {
        body += u"    for (const int index : indexes) {\n        switch (index) {\n"_s + notifyCases
                + u"        default:\n            break;\n        }\n    }\n}\n\n"_s;
    }
    if (!decl.events.isEmpty()) {
        // The locals have a '_' inside: no event's lowerCamelCase name can shadow them.
        body += u"void %1::deliverEvent(const QString &musubi_name, const QJsonValue &musubi_payload)\n{\n"_s
                        .arg(decl.name);
        for (const EventDecl &event : decl.events) {
            body += u"    if (musubi_name == %1) {\n        %2 musubi_value;\n"
                    u"        if (!musubiFromJson(musubi_payload, &musubi_value))\n"
                    u"            warnPayload(u\"the payload of event \"_s + %3, \"the declared "
                    u"payload\", musubi_payload);\n"
                    u"        Q_EMIT %4(musubi_value);\n        return;\n    }\n"_s.arg(
                            cppStringLiteral(event.wire), event.payload,
                            cppStringLiteral(event.wire), event.cpp);
        }
        body += u"}\n\n"_s;
    }

    // The root.
    if (module.isStore) {
        h += openNamespace(decl.ns);
        h += u"// A root of module %1: a MusubiRoot whose state is typed.\n"
             u"class %5 %2 : public MusubiRoot\n{\n    Q_OBJECT\n    QML_NAMED_ELEMENT(%3)\n"
             u"    Q_PROPERTY(%4 *state READ state NOTIFY stateChanged)\n\npublic:\n"
             u"    explicit %2(QObject *parent = nullptr);\n"
             u"    %2(MusubiConnection *connection, const QString &instanceId,\n"
             u"       const QVariantMap &params = {}, QObject *parent = nullptr);\n"_s.arg(
                     module.name, decl.rootName, decl.rootQmlName, qualify(decl.ns, decl.name),
                     m_export);
        if (!decl.params.isEmpty())
            h += u"    %1(MusubiConnection *connection, const QString &instanceId,\n"
                 u"       const %2 &params, QObject *parent = nullptr);\n"_s.arg(decl.rootName,
                                                                                 decl.params);
        h += u"\n    // The root store's typed view (nullptr until the first state arrives).\n"
             u"    %1 *state() const;\n\nQ_SIGNALS:\n    void stateChanged();\n};\n\n"_s.arg(
                     qualify(decl.ns, decl.name));
        h += closeNamespace(decl.ns) + u"\n"_s;
        body += u"%1::%1(QObject *parent)\n    : MusubiRoot(parent)\n{\n"
                u"    setModule(%2);\n"
                u"    connect(this, &MusubiRoot::storeChanged, this, &%1::stateChanged);\n}\n\n"
                u"%1::%1(MusubiConnection *connection, const QString &instanceId,\n"
                u"       const QVariantMap &params, QObject *parent)\n"
                u"    : MusubiRoot(connection, %2, instanceId, params, parent)\n{\n"
                u"    connect(this, &MusubiRoot::storeChanged, this, &%1::stateChanged);\n}\n\n"_s
                        .arg(decl.rootName, moduleLiteral);
        if (!decl.params.isEmpty())
            body += u"%1::%1(MusubiConnection *connection, const QString &instanceId,\n"
                    u"       const %2 &params, QObject *parent)\n"
                    u"    : %1(connection, instanceId, params.toVariantMap(), parent)\n{ }\n\n"_s
                            .arg(decl.rootName, decl.params);
        // Qualified: inside a MusubiRoot, `Status` (say) is MusubiRoot::Status.
        body += u"%1 *%2::state() const\n{\n    return MusubiTypedStore::of<%1>(store());\n}\n\n"_s
                        .arg(qualify(decl.ns, decl.name), decl.rootName);
    }

    QString enumHeader;
    QString enumBodies;
    emitEnumFunctions(qualify(decl.ns, decl.name), decl.enums, enumHeader, enumBodies);
    if (!enumHeader.isEmpty())
        h += openNamespace(decl.ns) + enumHeader + closeNamespace(decl.ns) + u"\n"_s;
    cpp += openNamespace(decl.ns) + QString::fromLatin1(kUsings) + u"\n"_s + enumBodies + body
            + closeNamespace(decl.ns) + u"\n"_s;
}

Generated Generator::run()
{
    for (const ManifestModule &module : m_modules)
        (module.isStore ? m_context.storeModules : m_context.stateModules).append(module.name);

    // Type names first: a module may name any other.
    for (const ManifestModule &module : m_modules) {
        const QStringList ns = namespaceOf(module.name);
        NameTable &table = namespaceTable(ns);
        const QString name = table.claim(module.name.section(u'.', -1));
        if (module.isStore)
            m_storeClass.insert(module.name, qualify(ns, name));
        else
            m_stateStruct.insert(module.name, qualify(ns, name));
    }
    for (const ManifestModule &module : m_modules) {
        if (module.isStore)
            continue;
        const QStringList ns = namespaceOf(module.name);
        QList<StructField> fields;
        for (const ManifestField &field : module.fields)
            fields.append({field.name, resolveType(field.type, m_context, false)});
        StructDecl *decl = makeStruct(
                StructDecl::Role::State, ns, m_stateStruct.value(module.name).section(u"::"_s, -1),
                qmlPrefix(module.name).chopped(module.name.section(u'.', -1).size()), fields,
                module.name);
        for (const NamedValue &field : decl->fields)
            note(u"%1.%2"_s.arg(module.name, field.wire), field.type);
    }
    for (const ManifestModule &module : m_modules) {
        if (!module.isStore)
            continue;
        StoreDecl decl;
        decl.module = &module;
        decl.ns = namespaceOf(module.name);
        decl.qualified = m_storeClass.value(module.name);
        decl.name = decl.qualified.section(u"::"_s, -1);
        decl.qmlName = m_qmlTypeNames.claim(qmlPrefix(module.name));
        decl.rootQmlName = m_qmlTypeNames.claim(qmlPrefix(module.name) + u"Root"_s);
        const QString qmlModulePrefix =
                qmlPrefix(module.name).chopped(module.name.section(u'.', -1).size());
        NameTable &nsTable = namespaceTable(decl.ns);
        decl.rootName = nsTable.claim(decl.name + u"Root"_s);
        if (!module.commands.isEmpty())
            decl.extensionName = nsTable.claim(decl.name + u"Commands"_s);
        NameTable members(memberWords());
        NameTable nested;
        nested.claim(decl.name);
        QStringList deps;
        QList<ManifestField> fields = module.fields;
        for (const QString &upload : module.uploads)
            fields.append({upload, {}});
        for (const ManifestField &field : std::as_const(fields)) {
            TypePtr type;
            if (module.uploads.contains(field.name) && field.type.isList()
                && field.type.items.isEmpty()) {
                type = std::make_shared<Type>();
                type->kind = Type::Kind::Upload;
                type->source = u"upload"_s;
            } else {
                type = resolveType(field.type, m_context, true);
            }
            NamedValue value{members.claim(lowerCamel(field.name)), field.name, type, {}};
            // `class_` notifies classChanged, `fooBar2` fooBar2Changed.
            decl.notify.insert(
                    value.cpp,
                    members.claim((value.cpp.endsWith(u'_') ? value.cpp.chopped(1) : value.cpp)
                                  + u"Changed"_s));
            nameType(type, decl.ns, decl.name + pascalCase(field.name), pascalCase(field.name),
                     &decl.enums, &nested, decl.qualified, qmlModulePrefix, &deps);
            note(u"%1.%2"_s.arg(module.name, field.name), type);
            decl.fields.append(value);
        }
        for (const ManifestCommand &command : module.commands) {
            CommandDecl out;
            out.wire = command.name;
            out.cpp = members.claim(lowerCamel(command.name));
            NameTable argNames;
            for (const ManifestArg &arg : command.payload) {
                TypePtr type = resolveType(arg.type, m_context, false);
                nameType(type, decl.ns, decl.name + pascalCase(command.name) + pascalCase(arg.name),
                         pascalCase(arg.name), &decl.enums, &nested, decl.qualified,
                         qmlModulePrefix, &deps);
                note(u"%1 command %2, argument %3"_s.arg(module.name, command.name, arg.name),
                     type);
                out.args.append({argNames.claim(lowerCamel(arg.name)), arg.name, type, arg.doc});
            }
            if (!command.reply.isEmpty()) {
                const QString name =
                        nsTable.claim(decl.name + pascalCase(command.name) + u"Reply"_s);
                QList<StructField> replyFields;
                for (const ManifestArg &arg : command.reply)
                    replyFields.append({arg.name, resolveType(arg.type, m_context, false)});
                StructDecl *reply =
                        makeStruct(StructDecl::Role::Reply, decl.ns, name, qmlModulePrefix,
                                   replyFields, u"command %1"_s.arg(command.name));
                for (int i = 0; i < command.reply.size(); ++i)
                    reply->fields[i].doc = command.reply.at(i).doc;
                out.reply = reply->qualified;
                decl.aliases.append(
                        {nested.claim(pascalCase(command.name) + u"Reply"_s), reply->qualified});
            }
            decl.commands.append(out);
        }
        for (const ManifestEvent &event : module.events) {
            EventDecl out;
            out.wire = event.name;
            out.cpp = members.claim(lowerCamel(event.name));
            const QString name = nsTable.claim(decl.name + pascalCase(event.name) + u"Payload"_s);
            QList<StructField> payloadFields;
            for (const ManifestArg &arg : event.payload)
                payloadFields.append({arg.name, resolveType(arg.type, m_context, false)});
            StructDecl *payload =
                    makeStruct(StructDecl::Role::Payload, decl.ns, name, qmlModulePrefix,
                               payloadFields, u"event %1"_s.arg(event.name));
            for (int i = 0; i < event.payload.size(); ++i)
                payload->fields[i].doc = event.payload.at(i).doc;
            out.payload = payload->qualified;
            decl.aliases.append(
                    {nested.claim(pascalCase(event.name) + u"Payload"_s), payload->qualified});
            decl.events.append(out);
        }
        if (!module.attrs.isEmpty()) {
            const QString name = nsTable.claim(decl.name + u"Params"_s);
            QList<StructField> paramFields;
            for (const ManifestAttr &attr : module.attrs) {
                TypePtr type = resolveType(attr.type, m_context, false);
                if (!attr.required && type->kind != Type::Kind::Optional
                    && type->kind != Type::Kind::Json && type->kind != Type::Kind::Null) {
                    auto optional = std::make_shared<Type>();
                    optional->kind = Type::Kind::Optional;
                    optional->inner = type;
                    optional->source = type->source + u" (optional)"_s;
                    type = optional;
                }
                paramFields.append({attr.name, type});
            }
            StructDecl *params =
                    makeStruct(StructDecl::Role::Params, decl.ns, name, qmlModulePrefix,
                               paramFields, u"module %1 (its attrs)"_s.arg(module.name));
            decl.params = params->qualified;
            decl.aliases.append({nested.claim(u"Params"_s), params->qualified});
        }
        m_stores.append(decl);
    }

    // Value types in an order where each follows what it holds by value.
    QList<std::shared_ptr<StructDecl>> ordered;
    QSet<QString> done;
    QSet<QString> visiting;
    QHash<QString, std::shared_ptr<StructDecl>> byName;
    for (const auto &decl : std::as_const(m_structs))
        byName.insert(decl->qualified, decl);
    std::function<void(const std::shared_ptr<StructDecl> &)> visit =
            [&](const std::shared_ptr<StructDecl> &decl) {
                if (done.contains(decl->qualified) || visiting.contains(decl->qualified))
                    return;
                visiting.insert(decl->qualified);
                for (const QString &dependency : std::as_const(decl->dependsOn)) {
                    if (visiting.contains(dependency)) {
                        // A value type that holds itself (Tree.t() with list(Tree.t())):
                        // C++ cannot, so that member is read as QJsonValue.
                        breakCycle(*decl, dependency);
                        continue;
                    }
                    if (const auto it = byName.constFind(dependency); it != byName.cend())
                        visit(it.value());
                }
                visiting.remove(decl->qualified);
                done.insert(decl->qualified);
                ordered.append(decl);
            };
    for (const auto &decl : std::as_const(m_structs))
        visit(decl);

    const QString base = QString(m_options.qmlUri).remove(u'.').toLower();
    m_export = base.toUpper() + u"_EXPORT"_s;
    QString h;
    QString cpp;
    h += u"// Generated by musubi-codegen from %1 manifest module(s): %2.\n"
         u"// Do not edit: re-run musubi-codegen (musubi_add_stores() in CMake does).\n"
         u"// QML: import %3\n#pragma once\n\n"_s.arg(
                 QString::number(m_modules.size()),
                 [this] {
                     QStringList names;
                     for (const auto &m : m_modules)
                         names.append(m.name);
                     return names.join(u", "_s);
                 }(),
                 m_options.qmlUri);
    h += u"#include <musubiasync.h>\n#include <musubiroot.h>\n#include <musubistorelistmodel.h>\n"
         u"#include <musubistreammodel.h>\n#include <musubityped.h>\n#include "
         u"<musubitypedstore.h>\n"
         u"#include <musubiupload.h>\n\n"
         u"#include <QtCore/QFuture>\n#include <QtCore/QJsonObject>\n#include <QtCore/QJsonValue>\n"
         u"#include <QtCore/QList>\n#include <QtCore/QObject>\n#include <QtCore/QPointer>\n"
         u"#include <QtCore/QString>\n#include <QtCore/QStringList>\n#include <QtCore/QVariant>\n"
         u"#include <QtQml/QJSValue>\n#include <QtQml/qqml.h>\n\n"_s;
    h += u"// Defined while the library that holds this code is built (musubi_add_stores() does).\n"
         u"#if defined(MUSUBI_STORES_BUILD_%1)\n#  define %2 Q_DECL_EXPORT\n#else\n#  define %2 Q_DECL_IMPORT\n#endif\n\n"_s
                 .arg(base.toUpper(), m_export);
    // Forward declarations.
    QMap<QString, QStringList> forward;
    for (const StoreDecl &decl : std::as_const(m_stores))
        forward[decl.ns.join(u"::"_s)].append(u"class %1;"_s.arg(decl.name));
    for (const auto &decl : std::as_const(ordered))
        forward[decl->ns.join(u"::"_s)].append(u"struct %1;"_s.arg(decl->name));
    for (auto it = forward.cbegin(); it != forward.cend(); ++it) {
        const QStringList ns = it.key().isEmpty() ? QStringList() : it.key().split(u"::"_s);
        h += openNamespace(ns) + it.value().join(u"\n"_s) + u"\n"_s + closeNamespace(ns) + u"\n"_s;
    }
    QString storeHeader;
    for (const StoreDecl &decl : std::as_const(m_stores))
        emitStore(decl, storeHeader, cpp);
    QString structHeader;
    for (const auto &decl : std::as_const(ordered))
        emitStruct(*decl, structHeader, cpp);
    h += storeHeader + structHeader;

    Generated out;
    const QString prologue =
            u"// Generated by musubi-codegen; do not edit.\n#include \"%1.h\"\n\n"
            u"#include <QtQml/QJSEngine>\n\nusing namespace Qt::StringLiterals;\n\n"_s.arg(base);
    out.files.append({base + u".h"_s, h.toUtf8()});
    out.files.append({base + u".cpp"_s, (prologue + cpp).toUtf8()});
    out.notes = m_notes;
    return out;
}

std::optional<Generated> generate(const QList<ManifestModule> &modules,
                                  const GeneratorOptions &options, QString *error)
{
    static const QRegularExpression uri(u"^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*$"_s);
    static const QRegularExpression ns(u"^([A-Za-z_][A-Za-z0-9_]*)(::[A-Za-z_][A-Za-z0-9_]*)*$"_s);
    if (!uri.match(options.qmlUri).hasMatch()) {
        *error = u"\"%1\" is not a QML module URI (dotted identifiers, e.g. InboxTypes or "
                 u"My.Stores)"_s.arg(options.qmlUri);
        return std::nullopt;
    }
    if (!options.cppNamespace.isEmpty() && !ns.match(options.cppNamespace).hasMatch()) {
        *error = u"\"%1\" is not a C++ namespace (e.g. App or App::Stores)"_s.arg(
                options.cppNamespace);
        return std::nullopt;
    }
    if (modules.isEmpty()) {
        *error = u"no modules to generate"_s;
        return std::nullopt;
    }
    // The output depends on the modules, never on the order they came in.
    QList<ManifestModule> sorted = modules;
    std::stable_sort(
            sorted.begin(), sorted.end(),
            [](const ManifestModule &a, const ManifestModule &b) { return a.name < b.name; });
    Generator generator(sorted, options);
    return generator.run();
}

} // namespace MusubiCodegen
