// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "democounterstore.h"

using namespace Qt::StringLiterals;

DemoCounterStore::DemoCounterStore(QObject *parent)
    : MusubiTestStore(parent)
{
    setState({{u"count"_s, 0}});
    onCommand(u"increment"_s, [this](const QJsonObject &payload) {
        const QJsonValue amount = payload.value(u"amount"_s);
        if (!amount.isUndefined() && !amount.isDouble())
            return MusubiTestReply::error(u"invalid_amount"_s);
        setValue(u"count"_s, value(u"count"_s).toInt() + amount.toInt(1));
        return MusubiTestReply::noReply();
    });
    onCommand(u"reset"_s, [this](const QJsonObject &) {
        setValue(u"count"_s, 0);
        return MusubiTestReply::noReply();
    });
}

void DemoCounterStore::mount(const QJsonObject &params)
{
    setValue(u"count"_s, params.value(u"count"_s).toInt(0));
}
