// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubitypedstore.h"
#include "musubityped.h"

#include "musubicommanderror.h"
#include "musubicommandwatch_p.h"
#include "musubilogging_p.h"
#include "musubistore_p.h"
#include "musubistorelistmodel.h"
#include "musubistoretree.h"
#include "musubistoretree_p.h"

#include <QtCore/QJsonDocument>
#include <QtQml/QJSEngine>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcMusubiCodegen, "musubi.codegen")

namespace {

// A wire value with every store node below it collapsed to its id marker.
QJsonValue shallowJson(const Musubi::detail::WireValue &value)
{
    using Musubi::detail::WireNode;
    if (!value.node)
        return value.scalar;
    const WireNode &node = *value.node;
    if (node.isStore())
        return QJsonObject{{u"__musubi_store_id__"_s, QJsonArray::fromStringList(node.storeId)}};
    if (node.isArray) {
        QJsonArray array;
        for (const auto &item : node.items)
            array.append(shallowJson(item));
        return array;
    }
    if (node.isLazy())
        return node.rawObject();
    QJsonObject object;
    const auto &members = node.members();
    for (auto it = members.cbegin(); it != members.cend(); ++it)
        object.insert(it.key(), shallowJson(it.value()));
    return object;
}

QString compact(const QJsonValue &value)
{
    if (value.isUndefined())
        return u"nothing"_s;
    const QJsonDocument document = value.isObject() ? QJsonDocument(value.toObject())
            : value.isArray()                       ? QJsonDocument(value.toArray())
                                                    : QJsonDocument(QJsonArray{value});
    QString text = QString::fromUtf8(document.toJson(QJsonDocument::Compact));
    if (!value.isObject() && !value.isArray())
        text = text.mid(1, text.size() - 2);
    if (text.size() > 200)
        text = text.left(200) + u"…"_s;
    return text;
}

} // namespace

/*!
    \class MusubiTypedStore
    \inmodule MusubiCore
    \brief The base of the typed store classes that musubi-codegen generates.

    A generated class (docs/codegen.md) is the typed view of one MusubiStore: one
    read-only property per field of the store module, each with a NOTIFY signal that is
    emitted once per accepted envelope and only when that field's value changed; one
    method per command and one signal per push event. The untyped store stays
    reachable through store(): a field the generated types do not know is read there.

    A view is a child of its store and made on demand with of(); it lives as long as
    the store object does (until the store leaves the tree).

    A field whose wire value has another type than the generated type says reads as
    the property's default, and one warning is logged under \c musubi.codegen until
    the field changes again.
*/

/*!
    \fn template<typename T> T *MusubiTypedStore::of(MusubiStore *store)

    Returns the view of class \c T of \a store, made on the first call (a child of
    \a store), or nullptr when \a store is nullptr.
*/

/*!
    Makes the view of \a store whose fields have the wire names \a wireNames, in
    declaration order.
*/
MusubiTypedStore::MusubiTypedStore(MusubiStore *store, QStringList wireNames)
    : QObject(store)
    , m_store(store)
    , m_wireNames(std::move(wireNames))
    , m_json(m_wireNames.size())
    , m_warned(m_wireNames.size())
{
    for (int i = 0; i < m_wireNames.size(); ++i) {
        m_json[i] = QJsonValue(QJsonValue::Undefined);
        m_indexOf.insert(m_wireNames.at(i), i);
    }
    if (!store)
        return;
    if (MusubiStoreTree *tree = store->tree())
        m_madeInApply = Musubi::detail::StoreTreePrivate::get(tree)->inApply;
    refresh();
    connect(store, &MusubiStore::changed, this, &MusubiTypedStore::updateFromStore);
    connect(store, &MusubiStore::aliveChanged, this, &MusubiTypedStore::aliveChanged);
    connect(store, &MusubiStore::eventReceived, this,
            [this](const QJsonArray &, const QString &name, const QJsonValue &payload) {
                deliverEvent(name, payload);
            });
}

// Once per envelope that changed the store: re-reads the fields the envelope wrote (a
// change inside a child store writes none of its parent's), all of them for a view made
// while that envelope was being applied (its snapshot may predate the store's keys).
void MusubiTypedStore::updateFromStore()
{
    MusubiStoreTree *tree = m_store ? m_store->tree() : nullptr;
    if (!tree)
        return;
    QList<int> candidates;
    const bool all = m_madeInApply;
    m_madeInApply = false;
    if (all) {
        for (int i = 0; i < m_wireNames.size(); ++i)
            candidates.append(i);
    } else {
        const auto *d = Musubi::detail::StoreTreePrivate::get(tree);
        const QSet<QString> written = d->lastWrittenKeys.value(m_store->storeIdList());
        for (const QString &key : written) {
            if (const auto it = m_indexOf.constFind(key); it != m_indexOf.cend())
                candidates.append(it.value());
        }
        std::sort(candidates.begin(), candidates.end());
    }
    QList<int> changedFields;
    for (const int i : std::as_const(candidates)) {
        QJsonValue now = readField(i);
        if (all || now != m_json.at(i)) {
            m_json[i] = std::move(now);
            m_warned.clearBit(i);
            changedFields.append(i);
        }
    }
    if (changedFields.isEmpty())
        return;
    notifyFields(changedFields);
    Q_EMIT changed();
}

/*!
    Destroys the view.
*/
MusubiTypedStore::~MusubiTypedStore() = default;

/*!
    \property MusubiTypedStore::store
    \brief The untyped store this view reads: every field, known to the generated
    types or not.
*/
MusubiStore *MusubiTypedStore::store() const
{
    return m_store;
}

/*!
    \property MusubiTypedStore::storeId
    \brief The store's id (the segments of its path from the root).
*/
QJsonArray MusubiTypedStore::storeIdJson() const
{
    return m_store ? m_store->storeIdJson() : QJsonArray();
}

/*!
    \property MusubiTypedStore::alive
    \brief Whether the store is still in its root's tree (see MusubiStore::alive).
*/
bool MusubiTypedStore::isAlive() const
{
    return m_store && m_store->isAlive();
}

/*!
    \fn void MusubiTypedStore::changed()

    Emitted once per accepted envelope that changed a field of this view, after the
    fields' own NOTIFY signals.
*/

/*!
    \fn void MusubiTypedStore::aliveChanged()

    Emitted when the store leaves its root's tree.
*/

MusubiTypedStore *MusubiTypedStore::find(MusubiStore *store, const QMetaObject *type)
{
    const QObjectList &children = store->children();
    for (QObject *child : children) {
        if (child->metaObject() == type)
            return static_cast<MusubiTypedStore *>(child);
    }
    return nullptr;
}

void MusubiTypedStore::refresh()
{
    for (int i = 0; i < m_wireNames.size(); ++i)
        m_json[i] = readField(i);
}

// Field \a index as the wire holds it now, child stores collapsed to their id marker.
QJsonValue MusubiTypedStore::readField(int index) const
{
    MusubiStoreTree *tree = m_store ? m_store->tree() : nullptr;
    if (!tree || !m_store->isAlive())
        return QJsonValue(QJsonValue::Undefined);
    const Musubi::detail::WireNode *node =
            Musubi::detail::StoreTreePrivate::get(tree)->wire.storeNode(m_store->storeIdList());
    if (!node)
        return QJsonValue(QJsonValue::Undefined);
    const QString &key = m_wireNames.at(index);
    if (node->isLazy())
        return node->rawObject().value(key);
    const auto &members = node->members();
    const auto it = members.constFind(key);
    return it == members.cend() ? QJsonValue(QJsonValue::Undefined) : shallowJson(it.value());
}

/*!
    Returns field \a index as the wire holds it; a child store is its
    \c{{"__musubi_store_id__": [...]}} marker. Undefined when the store lacks the field.
*/
QJsonValue MusubiTypedStore::fieldJson(int index) const
{
    return m_json.value(index, QJsonValue(QJsonValue::Undefined));
}

/*!
    Returns the object behind field \a index (a child MusubiStore, MusubiStoreListModel,
    MusubiStreamModel or MusubiUpload), made on demand; nullptr when the field holds
    none.
*/
QObject *MusubiTypedStore::fieldObject(int index) const
{
    if (!m_store || index < 0 || index >= m_wireNames.size())
        return nullptr;
    return m_store->value(m_wireNames.at(index)).value<QObject *>();
}

/*!
    Returns the child store field \a index points to, made on demand; nullptr when the
    field is null or holds something else.
*/
MusubiStore *MusubiTypedStore::childStore(int index) const
{
    return qobject_cast<MusubiStore *>(fieldObject(index));
}

/*!
    Logs once, until field \a index changes, that it held a value that is not
    \a expected.
*/
void MusubiTypedStore::warnDrift(int index, const char *expected) const
{
    if (index < 0 || index >= m_warned.size() || m_warned.testBit(index) || !isAlive())
        return; // (a store that left the tree has no fields to warn about)
    m_warned.setBit(index);
    qCWarning(lcMusubiCodegen).noquote()
            << u"%1: field \"%2\" of store %3 holds %4, not %5; it reads as its default"_s.arg(
                       QString::fromUtf8(metaObject()->className()), m_wireNames.at(index),
                       compact(storeIdJson()), compact(fieldJson(index)),
                       QString::fromUtf8(expected));
}

/*!
    Logs that \a what (a push event or a command reply) held \a value, which is not
    \a expected; its fields read as their defaults.
*/
void MusubiTypedStore::warnPayload(const QString &what, const char *expected,
                                   const QJsonValue &value) const
{
    qCWarning(lcMusubiCodegen).noquote()
            << u"%1: %2 of store %3 holds %4, not %5; it reads as its default"_s.arg(
                       QString::fromUtf8(metaObject()->className()), what, compact(storeIdJson()),
                       compact(value), QString::fromUtf8(expected));
}

/*!
    \fn void MusubiTypedStore::notifyFields(const QList<int> &indexes)

    Called once per accepted envelope with the \a indexes of the fields whose value
    changed, in declaration order; the generated class emits their NOTIFY signals.
*/

/*!
    Called for each push event \a name with \a payload for this store. The generated
    class emits the event's signal; the default does nothing.
*/
void MusubiTypedStore::deliverEvent(const QString &name, const QJsonValue &payload)
{
    Q_UNUSED(name);
    Q_UNUSED(payload);
}

/*!
    Sends the command \a name with \a payload for this store (MusubiStore::dispatch()).
*/
QFuture<QJsonValue> MusubiTypedStore::sendCommand(const QString &name, const QJsonObject &payload)
{
    if (!m_store) {
        return QtFuture::makeExceptionalFuture<QJsonValue>(MusubiCommandError(
                MusubiCommandError::Kind::NotConnected, name, QJsonArray(),
                QJsonValue(QJsonValue::Undefined), u"the store is no longer mounted"_s));
    }
    return m_store->dispatch(name, payload);
}

/*!
    Sends the command \a name with \a payload for QML and returns a Promise that resolves
    with what \a reply makes of the wire reply, or rejects with a MusubiCommandError.
*/
QJSValue MusubiTypedStore::sendCommandFromQml(
        const QString &name, const QJsonObject &payload,
        const std::function<QJSValue(QJSEngine *, const QJsonValue &)> &reply)
{
    QJSEngine *engine = qjsEngine(this);
    if (!engine) {
        qCWarning(lcMusubiCodegen) << "a command called from JavaScript needs a view that was"
                                      " handed to a QJSEngine; call the C++ overload instead";
        return QJSValue();
    }
    const QJSValue deferred = Musubi::detail::makeDeferred(engine);
    const QJSValue resolve = deferred.property(u"resolve"_s);
    const QJSValue reject = deferred.property(u"reject"_s);
    Musubi::detail::whenCommandFinished(
            sendCommand(name, payload), engine, name,
            [engine, resolve, reply](const QJsonValue &wire) {
                resolve.call({reply(engine, wire)});
            },
            [engine, reject](const MusubiCommandError &error) {
                reject.call({engine->toScriptValue(error)});
            });
    return deferred.property(u"promise"_s);
}

/*!
    Returns a Promise rejected with a MusubiCommandError of kind \c Failed for command
    \a name with \a message; nothing is sent.
*/
QJSValue MusubiTypedStore::rejectFromQml(const QString &name, const QString &message)
{
    QJSEngine *engine = qjsEngine(this);
    if (!engine)
        return QJSValue();
    const QJSValue deferred = Musubi::detail::makeDeferred(engine);
    deferred.property(u"reject"_s)
            .call({engine->toScriptValue(
                    MusubiCommandError(MusubiCommandError::Kind::Failed, name, storeIdJson(),
                                       QJsonValue(QJsonValue::Undefined), message))});
    return deferred.property(u"promise"_s);
}

/*!
    \class MusubiTypedStoreListModel
    \inmodule MusubiCore
    \brief A list of child stores whose rows are typed views.

    What a generated class gives for a field of type \c{list(Mod.state())}: it follows
    the store's MusubiStoreListModel row by row (the same keyed inserts, moves and
    removals), and role \c store is the row's typed view (role \c storeId its id).
    \code
    ListView { model: inbox.messages; delegate: Text { required property TypedMessage store; text: store.subject } }
    \endcode
*/

/*!
    \typedef MusubiTypedStoreListModel::Factory

    Makes the typed view of a row's store.
*/

/*!
    Makes a model whose rows are the views \a factory makes, child of \a parent.
*/
MusubiTypedStoreListModel::MusubiTypedStoreListModel(Factory factory, QObject *parent)
    : QIdentityProxyModel(parent)
    , m_factory(std::move(factory))
{
    connect(this, &QAbstractItemModel::rowsInserted, this, &MusubiTypedStoreListModel::updateCount);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &MusubiTypedStoreListModel::updateCount);
    connect(this, &QAbstractItemModel::modelReset, this, &MusubiTypedStoreListModel::updateCount);
}

/*!
    Destroys the model.
*/
MusubiTypedStoreListModel::~MusubiTypedStoreListModel() = default;

/*!
    \property MusubiTypedStoreListModel::count
    \brief The number of rows.
*/
int MusubiTypedStoreListModel::count() const
{
    return m_count;
}

void MusubiTypedStoreListModel::updateCount()
{
    const int now = rowCount();
    if (now == m_count)
        return;
    m_count = now;
    Q_EMIT countChanged();
}

/*!
    Returns the typed view of row \a row, or nullptr out of range.
*/
MusubiTypedStore *MusubiTypedStoreListModel::get(int row) const
{
    auto *list = qobject_cast<MusubiStoreListModel *>(sourceModel());
    if (!list || row < 0 || row >= list->rowCount())
        return nullptr;
    MusubiStore *store = list->get(row);
    return store && m_factory ? m_factory(store) : nullptr;
}

/*!
    \fn template<typename T> T *MusubiTypedStoreListModel::at(int row) const

    Returns the typed view of row \a row as \c T (the class the generated field names).
*/

/*!
    Returns the store id of row \a row (empty out of range).
*/
QJsonArray MusubiTypedStoreListModel::storeIdAt(int row) const
{
    auto *list = qobject_cast<MusubiStoreListModel *>(sourceModel());
    return list ? list->storeIdAt(row) : QJsonArray();
}

/*!
    Returns the row of the store \a storeId, or -1.
*/
int MusubiTypedStoreListModel::indexOfStoreId(const QJsonArray &storeId) const
{
    auto *list = qobject_cast<MusubiStoreListModel *>(sourceModel());
    return list ? list->indexOfStoreId(storeId) : -1;
}

/*!
    \reimp
*/
QVariant MusubiTypedStoreListModel::data(const QModelIndex &index, int role) const
{
    if (role == MusubiStoreListModel::StoreRole && index.isValid())
        return QVariant::fromValue<QObject *>(get(index.row()));
    return QIdentityProxyModel::data(index, role);
}

/*!
    Follows \a list; nullptr (an empty or absent list) means no rows.
*/
void MusubiTypedStoreListModel::setStoreList(MusubiStoreListModel *list)
{
    if (sourceModel() == list)
        return;
    setSourceModel(list);
    updateCount();
}

/*!
    \fn void MusubiTypedStoreListModel::countChanged()

    Emitted when the number of rows changes.
*/

/*!
    \namespace MusubiTyped
    \inmodule MusubiCore
    \brief The value conversions of the code musubi-codegen writes.

    Each \c musubiFromJson() overload reads one wire value into a C++ value and returns
    false when the value has another type (the target keeps its default then); each
    \c musubiToJson() writes one back. The generated code adds overloads for the enums
    and value types it declares, in their own namespace.
*/

/*!
    Logs under \c musubi.codegen that \a what (a reply or an event of a store of
    \a module) held \a value, which is not \a expected.
*/
void MusubiTyped::warnValue(const QString &module, const QString &what, const char *expected,
                            const QJsonValue &value)
{
    qCWarning(lcMusubiCodegen).noquote()
            << u"%1: %2 holds %3, not %4; it reads as its default"_s.arg(
                       module, what, compact(value), QString::fromUtf8(expected));
}

/*!
    Returns the object in the \c result of the async value in field \a index (a stream
    model for \c{stream_async}), or nullptr.
*/
QObject *MusubiTypedStore::asyncResultObject(int index) const
{
    if (!m_store || index < 0 || index >= m_wireNames.size())
        return nullptr;
    return m_store->value(m_wireNames.at(index)).toMap().value(u"data"_s).value<QObject *>();
}

/*!
    \class MusubiOptional
    \inmodule MusubiCore
    \brief A \c std::optional whose value converts to a QVariant (null when empty).

    The C++ type of a field, argument or member declared \c{T | nil} in the code
    musubi-codegen writes; the matching Q_PROPERTY is a QVariant, \c null in QML when
    empty.
*/

/*!
    \fn template<typename T> MusubiOptional<T>::MusubiOptional()

    Makes an empty optional.
*/

/*!
    \fn template<typename T> MusubiOptional<T>::MusubiOptional(const std::optional<T> &other)

    Makes a copy of \a other.
*/

/*!
    \fn template<typename T> MusubiOptional<T>::MusubiOptional(std::nullopt_t)

    Makes an empty optional.
*/

/*!
    \fn template<typename T> MusubiOptional<T>::MusubiOptional(const T &value)

    Makes an optional holding \a value.
*/

/*!
    \fn template<typename T> QVariant MusubiOptional<T>::toVariant() const

    Returns the value as a QVariant; when empty, a QVariant holding \c std::nullptr_t
    (null in QML).
*/
