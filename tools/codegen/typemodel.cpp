// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "typemodel.h"

#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace MusubiCodegen {

namespace {

TypePtr make(Type::Kind kind)
{
    auto type = std::make_shared<Type>();
    type->kind = kind;
    return type;
}

// {head, meta, args} with a list as args.
bool isCall(const EtfTerm &ast)
{
    return ast.isTuple(3) && ast.items.at(2).isList();
}

void flattenUnion(const EtfTerm &ast, QList<EtfTerm> *arms)
{
    if (isCall(ast) && ast.items.at(0).isAtom(u"|") && ast.items.at(2).items.size() == 2) {
        flattenUnion(ast.items.at(2).items.at(0), arms);
        flattenUnion(ast.items.at(2).items.at(1), arms);
        return;
    }
    arms->append(ast);
}

bool isPlainAtomLiteral(const EtfTerm &term)
{
    return term.isAtom() && !term.isAtom(u"nil") && !term.isAtom(u"true") && !term.isAtom(u"false");
}

TypePtr resolveStruct(const EtfTerm &pairs, const TypeContext &context)
{
    auto type = make(Type::Kind::Struct);
    for (const EtfTerm &pair : pairs.items) {
        if (!pair.isTuple(2))
            return make(Type::Kind::Json);
        const EtfTerm &key = pair.items.at(0);
        QString wire;
        if (key.isAtom())
            wire = key.atom;
        else if (key.isBinary())
            wire = key.text();
        else
            return make(Type::Kind::Json);
        type->fields.append({wire, resolveType(pair.items.at(1), context, false)});
    }
    return type;
}

TypePtr resolveUnion(const EtfTerm &ast, const TypeContext &context, bool topLevel)
{
    QList<EtfTerm> arms;
    flattenUnion(ast, &arms);
    bool nullable = false;
    QList<EtfTerm> rest;
    for (const EtfTerm &arm : std::as_const(arms)) {
        if (arm.isNil())
            nullable = true;
        else
            rest.append(arm);
    }
    auto wrap = [nullable](TypePtr inner) {
        // Pointers and markers are nullable already.
        switch (inner->kind) {
        case Type::Kind::Json:
        case Type::Kind::Null:
        case Type::Kind::ChildStore:
        case Type::Kind::ChildStoreList:
        case Type::Kind::Stream:
        case Type::Kind::Async:
        case Type::Kind::AsyncStream:
        case Type::Kind::Upload:
            return inner;
        default:
            break;
        }
        if (!nullable)
            return inner;
        auto optional = make(Type::Kind::Optional);
        optional->inner = std::move(inner);
        return optional;
    };
    if (rest.isEmpty())
        return make(Type::Kind::Null);
    if (rest.size() == 1)
        return wrap(resolveType(rest.first(), context, topLevel));

    auto all = [&rest](auto predicate) {
        return std::all_of(rest.cbegin(), rest.cend(), predicate);
    };
    QStringList shown;
    for (const EtfTerm &arm : std::as_const(rest))
        shown.append(typeSource(arm));
    if (all(isPlainAtomLiteral)) {
        auto type = make(Type::Kind::Enum);
        for (const EtfTerm &arm : std::as_const(rest)) {
            if (!type->atoms.contains(arm.atom))
                type->atoms.append(arm.atom);
        }
        return wrap(type);
    }
    if (all([](const EtfTerm &t) { return t.isAtom(u"true") || t.isAtom(u"false"); }))
        return wrap(make(Type::Kind::Bool));
    if (all([](const EtfTerm &t) { return t.isBinary(); })) {
        auto type = make(Type::Kind::String);
        type->note = u"Allowed values: %1."_s.arg(shown.join(u", "_s));
        return wrap(type);
    }
    if (all([](const EtfTerm &t) { return t.isInteger(); })) {
        auto type = make(Type::Kind::Integer);
        type->note = u"Allowed values: %1."_s.arg(shown.join(u", "_s));
        return wrap(type);
    }
    if (all([](const EtfTerm &t) { return t.isFloat(); })) {
        auto type = make(Type::Kind::Float);
        type->note = u"Allowed values: %1."_s.arg(shown.join(u", "_s));
        return wrap(type);
    }
    auto type = make(Type::Kind::Json);
    type->note = u"Declared arms: %1."_s.arg(shown.join(u" | "_s));
    return type;
}

} // namespace

namespace {

// The module of a `Mod.state()` call naming a store module of the manifest, or "".
QString childStoreModule(const EtfTerm &ast, const TypeContext &context)
{
    if (!isCall(ast) || !ast.items.at(2).items.isEmpty())
        return {};
    const EtfTerm &head = ast.items.at(0);
    if (!isCall(head) || !head.items.at(0).isAtom(u".") || head.items.at(2).items.size() != 2
        || !head.items.at(2).items.at(1).isAtom(u"state"))
        return {};
    const QString module = aliasModule(head.items.at(2).items.at(0));
    return context.storeModules.contains(module) ? module : QString();
}

} // namespace

QString aliasModule(const EtfTerm &alias)
{
    if (alias.isAtom()) {
        QString name = alias.atom;
        if (name.startsWith(u"Elixir."_s))
            name = name.mid(7);
        return name;
    }
    if (isCall(alias) && alias.items.at(0).isAtom(u"__aliases__")) {
        QStringList parts;
        for (const EtfTerm &part : alias.items.at(2).items) {
            if (!part.isAtom())
                return {};
            parts.append(part.atom);
        }
        return parts.join(u'.');
    }
    return {};
}

QString typeSource(const EtfTerm &ast)
{
    if (ast.isAtom()) {
        if (ast.isNil() || ast.isAtom(u"true") || ast.isAtom(u"false"))
            return ast.atom;
        static const QRegularExpression plain(u"^[a-z_][A-Za-z0-9_@]*[?!]?$"_s);
        if (plain.match(ast.atom).hasMatch())
            return u":"_s + ast.atom;
        return u":\""_s + QString(ast.atom).replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s)
                + u"\""_s;
    }
    if (ast.isBinary())
        return u"\""_s + ast.text() + u"\""_s;
    if (ast.isInteger())
        return QString::number(ast.integer);
    if (ast.isFloat())
        return QString::number(ast.real);
    if (isCall(ast)) {
        const EtfTerm &head = ast.items.at(0);
        const QList<EtfTerm> &args = ast.items.at(2).items;
        QStringList shown;
        for (const EtfTerm &arg : args)
            shown.append(typeSource(arg));
        if (head.isAtom(u"|") && args.size() == 2)
            return shown.join(u" | "_s);
        if (head.isAtom(u"%{}")) {
            QStringList pairs;
            for (const EtfTerm &pair : args) {
                if (pair.isTuple(2))
                    pairs.append((pair.items.at(0).isAtom()
                                          ? pair.items.at(0).atom + u":"_s
                                          : typeSource(pair.items.at(0)) + u" =>"_s)
                                 + u" "_s + typeSource(pair.items.at(1)));
            }
            return u"%{"_s + pairs.join(u", "_s) + u"}"_s;
        }
        if (head.isAtom())
            return head.atom + u"("_s + shown.join(u", "_s) + u")"_s;
        if (isCall(head) && head.items.at(0).isAtom(u".") && head.items.at(2).items.size() == 2)
            return aliasModule(head.items.at(2).items.at(0)) + u"."_s
                    + typeSource(head.items.at(2).items.at(1)).mid(1) + u"("_s + shown.join(u", "_s)
                    + u")"_s;
    }
    if (ast.isList()) {
        QStringList shown;
        for (const EtfTerm &item : ast.items)
            shown.append(typeSource(item));
        return u"["_s + shown.join(u", "_s) + u"]"_s;
    }
    return ast.toString();
}

namespace {
// Types nested deeper than this (a list of lists of ... ) are read as QJsonValue: C++
// compilers give up on templates nested a few hundred deep, people long before.
constexpr int MaxTypeDepth = 16;
thread_local int t_typeDepth = 0;
struct TypeDepthGuard
{
    TypeDepthGuard() { ++t_typeDepth; }
    ~TypeDepthGuard() { --t_typeDepth; }
    TypeDepthGuard(const TypeDepthGuard &) = delete;
    TypeDepthGuard &operator=(const TypeDepthGuard &) = delete;
};
} // namespace

TypePtr resolveType(const EtfTerm &ast, const TypeContext &context, bool topLevel)
{
    const TypeDepthGuard guard;
    if (t_typeDepth > MaxTypeDepth) {
        auto type = make(Type::Kind::Json);
        type->note = u"Nested deeper than %1 levels."_s.arg(MaxTypeDepth);
        type->source = typeSource(ast);
        return type;
    }
    TypePtr type = [&]() -> TypePtr {
        if (ast.isAtom()) {
            if (ast.isNil())
                return make(Type::Kind::Null);
            if (ast.isAtom(u"true") || ast.isAtom(u"false"))
                return make(Type::Kind::Bool);
            auto type = make(Type::Kind::Enum);
            type->atoms = {ast.atom};
            return type;
        }
        if (ast.isBinary()) {
            auto type = make(Type::Kind::String);
            type->note = u"Allowed values: %1."_s.arg(typeSource(ast));
            return type;
        }
        if (ast.isInteger()) {
            auto type = make(Type::Kind::Integer);
            type->note = u"Allowed values: %1."_s.arg(typeSource(ast));
            return type;
        }
        if (ast.isFloat()) {
            auto type = make(Type::Kind::Float);
            type->note = u"Allowed values: %1."_s.arg(typeSource(ast));
            return type;
        }
        if (!isCall(ast))
            return make(Type::Kind::Json); // [T] and anything else
        const EtfTerm &head = ast.items.at(0);
        const QList<EtfTerm> &args = ast.items.at(2).items;
        if (head.isAtom()) {
            const QString &name = head.atom;
            if (name == u"|"_s && args.size() == 2)
                return resolveUnion(ast, context, topLevel);
            if (name == u"%{}"_s)
                return resolveStruct(ast.items.at(2), context);
            if (args.isEmpty()) {
                if (name == u"binary"_s || name == u"string"_s || name == u"atom"_s)
                    return make(Type::Kind::String);
                if (name == u"integer"_s)
                    return make(Type::Kind::Integer);
                if (name == u"float"_s)
                    return make(Type::Kind::Float);
                if (name == u"boolean"_s)
                    return make(Type::Kind::Bool);
                if (name == u"map"_s)
                    return make(Type::Kind::JsonObject);
                return make(Type::Kind::Json);
            }
            if (name == u"list"_s && args.size() == 1) {
                if (topLevel) {
                    const QString child = childStoreModule(args.first(), context);
                    if (!child.isEmpty()) {
                        auto type = make(Type::Kind::ChildStoreList);
                        type->module = child;
                        return type;
                    }
                }
                auto type = make(Type::Kind::List);
                type->inner = resolveType(args.first(), context, false);
                return type;
            }
            if (name == u"stream"_s && args.size() == 1) {
                if (!topLevel)
                    return make(Type::Kind::Json);
                auto type = make(Type::Kind::Stream);
                const TypePtr item = resolveType(args.first(), context, false);
                if (item->kind == Type::Kind::Struct)
                    type->fields = item->fields;
                return type;
            }
            return make(Type::Kind::Json);
        }
        // Remote calls: {{:., m, [alias, fun]}, m, args}.
        if (isCall(head) && head.items.at(0).isAtom(u".") && head.items.at(2).items.size() == 2
            && head.items.at(2).items.at(1).isAtom()) {
            const QString module = aliasModule(head.items.at(2).items.at(0));
            const QString fun = head.items.at(2).items.at(1).atom;
            if (module == u"String"_s && fun == u"t"_s && args.isEmpty())
                return make(Type::Kind::String);
            if (module == u"Musubi.AsyncResult"_s && fun == u"of"_s && args.size() == 1) {
                if (!topLevel)
                    return make(Type::Kind::Json);
                const TypePtr inner = resolveType(args.first(), context, true);
                if (inner->kind == Type::Kind::Stream) {
                    auto type = make(Type::Kind::AsyncStream);
                    type->fields = inner->fields;
                    return type;
                }
                auto type = make(Type::Kind::Async);
                type->inner = resolveType(args.first(), context, false);
                return type;
            }
            if (fun == u"state"_s && args.isEmpty() && context.storeModules.contains(module)) {
                if (!topLevel)
                    return make(Type::Kind::Json);
                auto type = make(Type::Kind::ChildStore);
                type->module = module;
                return type;
            }
            if (fun == u"t"_s && args.isEmpty() && context.stateModules.contains(module)) {
                auto type = make(Type::Kind::StateRef);
                type->module = module;
                return type;
            }
        }
        return make(Type::Kind::Json);
    }();
    type->source = typeSource(ast);
    return type;
}

} // namespace MusubiCodegen
